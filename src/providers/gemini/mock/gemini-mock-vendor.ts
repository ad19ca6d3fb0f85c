import type {
  MockRouteHandler,
  MockRouteMatch,
  MockVendor,
} from "../../../testing/mock-kit/mock-vendor.js";
import { safeDecode } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { checkGeminiContent } from "./gemini-mock-content.js";
import { geminiEmbeddingsHandler } from "./gemini-mock-embeddings.js";
import {
  geminiStatusFor,
  renderGeminiError,
  renderGeminiErrorEvent,
} from "./gemini-mock-errors.js";
import { geminiGenerateHandler, geminiStreamHandler } from "./gemini-mock-generate.js";
import { geminiModelsHandler } from "./gemini-mock-models.js";

export const GEMINI_MOCK_ROUTES = [
  "gemini.generate",
  "gemini.stream",
  "gemini.embeddings",
  "gemini.models",
] as const;

const METHODS: Readonly<Record<string, readonly [string, MockRouteHandler]>> = {
  generateContent: ["gemini.generate", geminiGenerateHandler],
  streamGenerateContent: ["gemini.stream", geminiStreamHandler],
  batchEmbedContents: ["gemini.embeddings", geminiEmbeddingsHandler],
  embedContent: ["gemini.embeddings", geminiEmbeddingsHandler],
};

const MODELS_PATH = "/v1beta/models";

/**
 * The Gemini API's native paths (`/v1beta/models/{model}:method`, and `/v1/...` for POSTs), so
 * `@google/genai` works with `httpOptions: { baseUrl: mock.url }`.
 */
export const geminiMockVendor: MockVendor = {
  routes: GEMINI_MOCK_ROUTES,
  match(method, path): MockRouteMatch | undefined {
    if (method === "GET") {
      if (path === MODELS_PATH)
        return { route: "gemini.models", handler: geminiModelsHandler, params: {} };
      if (!path.startsWith(`${MODELS_PATH}/`) || path.includes(":")) return undefined;
      const model = safeDecode(path.slice(MODELS_PATH.length + 1));
      return { route: "gemini.models", handler: geminiModelsHandler, params: { model } };
    }
    if (method !== "POST") return undefined;
    const prefix = path.startsWith("/v1beta/models/")
      ? "/v1beta/models/"
      : path.startsWith("/v1/models/")
        ? "/v1/models/"
        : undefined;
    const colon = path.lastIndexOf(":");
    if (prefix === undefined || colon < prefix.length) return undefined;
    const target = METHODS[path.slice(colon + 1)];
    if (target === undefined) return undefined;
    const model = safeDecode(path.slice(prefix.length, colon));
    return { route: target[0], handler: target[1], params: { model } } satisfies MockRouteMatch;
  },
  renderError: renderGeminiError,
  renderErrorEvent: renderGeminiErrorEvent,
  statusFor: geminiStatusFor,
  /** A body whose parts the API would refuse gets its 400. */
  intercept(context) {
    if (context.route !== "gemini.generate" && context.route !== "gemini.stream") return undefined;
    const problem = checkGeminiContent(context.body);
    if (problem === undefined) return undefined;
    return renderGeminiError(
      { status: 400, kind: "invalid_request", message: problem, retryAfterSeconds: undefined },
      context,
    );
  },
};
