import type {
  MockErrorKind,
  MockRequestContext,
  MockRouteHandler,
  MockRouteMatch,
  MockVendor,
  PreparedReply,
  RenderedResponse,
  ResolvedMockError,
} from "../../../testing/mock-kit/mock-vendor.js";
import { mockEmbedding, safeDecode } from "../../../testing/mock-kit/mock-wire-helpers.js";
import {
  renderAnthropicError,
  renderAnthropicErrorEvent,
} from "../../anthropic/mock/anthropic-mock-errors.js";
import { anthropicMessagesHandler } from "../../anthropic/mock/anthropic-mock-messages.js";
import {
  geminiStatusFor,
  renderGeminiError,
  renderGeminiErrorEvent,
} from "../../gemini/mock/gemini-mock-errors.js";
import {
  geminiGenerateHandler,
  geminiStreamHandler,
} from "../../gemini/mock/gemini-mock-generate.js";
import { geminiModelsHandler } from "../../gemini/mock/gemini-mock-models.js";
import { answerTokenRequest, checkBearerToken } from "./vertex-mock-token.js";

export const VERTEX_MOCK_ROUTES = [
  "vertex.generate",
  "vertex.stream",
  "vertex.embeddings",
  "vertex.raw-predict",
  "vertex.stream-raw-predict",
  "vertex.models",
] as const;

/** Each Vertex route and the native route whose wire format it speaks. */
const NATIVE_ROUTES: Readonly<Record<string, string>> = {
  "vertex.generate": "gemini.generate",
  "vertex.stream": "gemini.stream",
  "vertex.models": "gemini.models",
  "vertex.raw-predict": "anthropic.messages",
  "vertex.stream-raw-predict": "anthropic.messages",
};

const MODEL_PATH =
  /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(google|anthropic)\/models\/([^/:]+):(\w+)$/;

/**
 * The request as the native vendor's handler expects it: its own route name, and for Claude the
 * model (which Vertex takes from the path, not the body).
 */
function nativeView(context: MockRequestContext): MockRequestContext {
  const route = NATIVE_ROUTES[context.route] ?? context.route;
  if (!route.startsWith("anthropic.")) return { ...context, route };
  const body = typeof context.body === "object" && context.body !== null ? context.body : {};
  return { ...context, route, body: { ...body, model: context.params.model } };
}

/** Wraps a native handler so it sees the request in its own terms. */
function speaking(handler: MockRouteHandler): MockRouteHandler {
  return {
    wantsStream: (context) => handler.wantsStream(nativeView(context)),
    renderReply: (reply, context) => handler.renderReply(reply, nativeView(context)),
    ...(handler.renderStream === undefined
      ? {}
      : {
          renderStream: (reply: PreparedReply, context: MockRequestContext, terminal: boolean) =>
            handler.renderStream?.(reply, nativeView(context), terminal) ?? [],
        }),
    ...(handler.streamHeaders === undefined
      ? {}
      : {
          streamHeaders: (context: MockRequestContext) =>
            handler.streamHeaders?.(nativeView(context)) ?? {},
        }),
    ...(handler.malformedFrame === undefined
      ? {}
      : {
          malformedFrame: (context: MockRequestContext) =>
            handler.malformedFrame?.(nativeView(context)) ?? "",
        }),
  };
}

/** `:predict` on an embedding model: `{predictions: [{embeddings: {values, statistics}}]}`. */
const predictHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
    const body = context.body as { instances?: { content?: string }[] } | undefined;
    const instances = body?.instances ?? [];
    const predictions = instances.map((instance, index) => ({
      embeddings: {
        values:
          reply.embeddings?.[index] ?? mockEmbedding(instance.content ?? "", reply.dimensions),
        statistics: {
          token_count: Math.max(1, Math.ceil((instance.content ?? "").length / 4)),
          truncated: false,
        },
      },
    }));
    return {
      status: 200,
      headers: { "content-type": "application/json; charset=UTF-8" },
      body: JSON.stringify({ predictions, metadata: { billableCharacterCount: 1 } }),
    };
  },
};

/** `{publisher}:{method}` -> the route and its handler. */
const METHODS: Readonly<Record<string, readonly [string, MockRouteHandler]>> = {
  "google:generateContent": ["vertex.generate", speaking(geminiGenerateHandler)],
  "google:streamGenerateContent": ["vertex.stream", speaking(geminiStreamHandler)],
  "google:predict": ["vertex.embeddings", predictHandler],
  "anthropic:rawPredict": ["vertex.raw-predict", speaking(anthropicMessagesHandler)],
  "anthropic:streamRawPredict": ["vertex.stream-raw-predict", speaking(anthropicMessagesHandler)],
};

/** Vertex's front end answers auth, quota and routing errors in Google's format for every model. */
const FRONT_END_KINDS: ReadonlySet<MockErrorKind> = new Set([
  "auth",
  "permission",
  "rate_limit",
  "quota",
  "not_found",
]);

const isClaude = (context: MockRequestContext) =>
  NATIVE_ROUTES[context.route]?.startsWith("anthropic.") === true;

/**
 * Refuses a Claude body Vertex refuses: without an `anthropic_version` (the adapters send
 * `vertex-2023-10-16`; `@anthropic-ai/vertex-sdk` copies its `anthropic-version` header), or with a
 * `model` (Vertex takes it from the path). Answered in Anthropic's format, as Claude answers.
 */
function checkClaudeBody(context: MockRequestContext): RenderedResponse | undefined {
  if (!isClaude(context)) return undefined;
  const body = typeof context.body === "object" && context.body !== null ? context.body : {};
  const version = (body as { anthropic_version?: unknown }).anthropic_version;
  const problem =
    typeof version !== "string"
      ? "anthropic_version: Field required"
      : "model" in body
        ? "model: Extra inputs are not permitted"
        : undefined;
  if (problem === undefined) return undefined;
  const error = {
    status: 400,
    kind: "invalid_request",
    message: problem,
    retryAfterSeconds: undefined,
  } as const;
  return renderAnthropicError(error, nativeView(context));
}

/**
 * Vertex AI's paths (`/v1/projects/{project}/locations/{location}/publishers/{google|anthropic}/
 * models/{model}:{method}`, and `/v1beta1/...` as `@google/genai` sends them), speaking Gemini's and Anthropic's formats by publisher, plus an OAuth2
 * token endpoint at `POST /token`. Every model request needs an unexpired bearer token from it.
 */
export const vertexMockVendor: MockVendor = {
  routes: VERTEX_MOCK_ROUTES,
  match(method, path): MockRouteMatch | undefined {
    if (method === "POST" && path === "/token") {
      return { route: "vertex.token", handler: predictHandler, params: {} };
    }
    if (method === "GET" && path === "/v1beta1/publishers/google/models") {
      return { route: "vertex.models", handler: speaking(geminiModelsHandler), params: {} };
    }
    const found = method === "POST" ? MODEL_PATH.exec(path) : null;
    if (found === null) return undefined;
    const target = METHODS[`${found[3]}:${found[5]}`];
    if (target === undefined) return undefined;
    return {
      route: target[0],
      handler: target[1],
      params: {
        project: safeDecode(found[1] ?? ""),
        location: safeDecode(found[2] ?? ""),
        model: safeDecode(found[4] ?? ""),
      },
    };
  },
  intercept(context) {
    if (context.route === "vertex.token") return answerTokenRequest(context);
    return checkBearerToken(context) ?? checkClaudeBody(context);
  },
  renderError(error: ResolvedMockError, context: MockRequestContext): RenderedResponse {
    if (isClaude(context) && !FRONT_END_KINDS.has(error.kind)) {
      // Gemini answers a blocked prompt with a 200; Claude refuses it with a 400.
      const status = error.status === 200 ? 400 : error.status;
      return renderAnthropicError({ ...error, status }, nativeView(context));
    }
    return renderGeminiError(error, nativeView(context));
  },
  renderErrorEvent(error: ResolvedMockError, context: MockRequestContext): string {
    return isClaude(context)
      ? renderAnthropicErrorEvent(error, nativeView(context))
      : renderGeminiErrorEvent(error, nativeView(context));
  },
  statusFor: geminiStatusFor,
};
