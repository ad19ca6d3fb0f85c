import type { MockRouteMatch, MockVendor } from "../../../testing/mock-kit/mock-vendor.js";
import { safeDecode } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { openaiMockChatHandler } from "./openai-mock-chat.js";
import { checkChatContent, checkResponsesContent } from "./openai-mock-content.js";
import { openaiEmbeddingsHandler } from "./openai-mock-embeddings.js";
import {
  openaiStatusFor,
  renderOpenaiError,
  renderOpenaiErrorEvent,
} from "./openai-mock-errors.js";
import { openaiModelsHandler } from "./openai-mock-models.js";
import { openaiMockResponsesHandler } from "./openai-mock-responses.js";

export const OPENAI_MOCK_ROUTES = [
  "openai.chat",
  "openai.responses",
  "openai.embeddings",
  "openai.models",
] as const;

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});
const CHAT: MockRouteMatch = {
  route: "openai.chat",
  handler: openaiMockChatHandler,
  params: NO_PARAMS,
};
const RESPONSES: MockRouteMatch = {
  route: "openai.responses",
  handler: openaiMockResponsesHandler,
  params: NO_PARAMS,
};
const EMBEDDINGS: MockRouteMatch = {
  route: "openai.embeddings",
  handler: openaiEmbeddingsHandler,
  params: NO_PARAMS,
};
const MODELS: MockRouteMatch = {
  route: "openai.models",
  handler: openaiModelsHandler,
  params: NO_PARAMS,
};

/** OpenAI's native paths, so the `openai` SDK works with `baseURL: mock.url + "/v1"`. */
export const openaiMockVendor: MockVendor = {
  routes: OPENAI_MOCK_ROUTES,
  match(method, path) {
    if (method === "POST") {
      if (path === "/v1/chat/completions") return CHAT;
      if (path === "/v1/responses") return RESPONSES;
      if (path === "/v1/embeddings") return EMBEDDINGS;
      return undefined;
    }
    if (method !== "GET") return undefined;
    if (path === "/v1/models") return MODELS;
    if (path.startsWith("/v1/models/")) {
      const model = safeDecode(path.slice("/v1/models/".length));
      return { ...MODELS, params: { model } };
    }
    return undefined;
  },
  renderError: renderOpenaiError,
  renderErrorEvent: renderOpenaiErrorEvent,
  statusFor: openaiStatusFor,
  /** A body whose content the API would refuse gets its 400. */
  intercept(context) {
    const check =
      context.route === "openai.chat"
        ? checkChatContent
        : context.route === "openai.responses"
          ? checkResponsesContent
          : undefined;
    const problem = check?.(context.body);
    if (problem === undefined) return undefined;
    return renderOpenaiError(
      { status: 400, kind: "invalid_request", message: problem, retryAfterSeconds: undefined },
      context,
    );
  },
};
