import type { IncomingHttpHeaders } from "node:http";
import type { MockRouteMatch, MockVendor } from "../../../testing/mock-kit/mock-vendor.js";
import { safeDecode } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { checkAnthropicContent } from "./anthropic-mock-content.js";
import { anthropicCountTokensHandler } from "./anthropic-mock-count-tokens.js";
import {
  anthropicStatusFor,
  renderAnthropicError,
  renderAnthropicErrorEvent,
} from "./anthropic-mock-errors.js";
import { anthropicMessagesHandler } from "./anthropic-mock-messages.js";
import { anthropicModelsHandler } from "./anthropic-mock-models.js";

export const ANTHROPIC_MOCK_ROUTES = [
  "anthropic.messages",
  "anthropic.models",
  "anthropic.count_tokens",
] as const;

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});
const MESSAGES: MockRouteMatch = {
  route: "anthropic.messages",
  handler: anthropicMessagesHandler,
  params: NO_PARAMS,
};
const COUNT_TOKENS: MockRouteMatch = {
  route: "anthropic.count_tokens",
  handler: anthropicCountTokensHandler,
  params: NO_PARAMS,
};
const MODELS: MockRouteMatch = {
  route: "anthropic.models",
  handler: anthropicModelsHandler,
  params: NO_PARAMS,
};

/**
 * Anthropic's native paths, so `@anthropic-ai/sdk` works with `baseURL: mock.url`. `GET /v1/models`
 * is OpenAI's path too: it is Anthropic's when the request carries `anthropic-version` or `x-api-key`.
 */
export const anthropicMockVendor: MockVendor = {
  routes: ANTHROPIC_MOCK_ROUTES,
  match(method, path, headers) {
    if (method === "POST") {
      if (path === "/v1/messages") return MESSAGES;
      return path === "/v1/messages/count_tokens" ? COUNT_TOKENS : undefined;
    }
    if (method !== "GET" || !isAnthropicClient(headers)) return undefined;
    if (path === "/v1/models") return MODELS;
    if (path.startsWith("/v1/models/")) {
      return { ...MODELS, params: { model: safeDecode(path.slice("/v1/models/".length)) } };
    }
    return undefined;
  },
  renderError: renderAnthropicError,
  renderErrorEvent: renderAnthropicErrorEvent,
  statusFor: anthropicStatusFor,
  /** A Messages body whose content the API would refuse gets its 400, as the API words it. */
  intercept(context) {
    if (context.route !== "anthropic.messages") return undefined;
    const problem = checkAnthropicContent(context.body);
    if (problem === undefined) return undefined;
    return renderAnthropicError(
      { status: 400, kind: "invalid_request", message: problem, retryAfterSeconds: undefined },
      context,
    );
  },
};

function isAnthropicClient(headers: IncomingHttpHeaders): boolean {
  return headers["anthropic-version"] !== undefined || headers["x-api-key"] !== undefined;
}
