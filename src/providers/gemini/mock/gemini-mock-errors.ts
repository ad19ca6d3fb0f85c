import type {
  MockErrorKind,
  MockRequestContext,
  RenderedResponse,
  ResolvedMockError,
} from "../../../testing/mock-kit/mock-vendor.js";
import { commonStatusFor } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { renderBlockedPrompt } from "./gemini-mock-generate.js";
import { geminiJsonHeaders, geminiModel, isSse } from "./gemini-mock-wire.js";

const GOOGLE_STATUS: Readonly<Record<number, string>> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const QUOTA_MESSAGE =
  "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.";
const API_KEY_MESSAGE = "API key not valid. Please pass a valid API key.";

/**
 * Gemini rejects a bad API key with 400 and a blocked prompt with a 200 (`promptFeedback`); the
 * rest are the common statuses.
 */
export function geminiStatusFor(kind: MockErrorKind): number {
  if (kind === "auth") return 400;
  if (kind === "content_filter") return 200;
  return commonStatusFor(kind);
}

/** `{ error: { code, message, status, details } }` (google.rpc.Status). */
export function renderGeminiError(
  error: ResolvedMockError,
  context: MockRequestContext,
): RenderedResponse {
  if (error.status === 200) return renderBlockedPrompt(context);
  return {
    status: error.status,
    headers: geminiJsonHeaders(),
    body: JSON.stringify({ error: rpcStatus(error, context) }),
  };
}

/**
 * Gemini's in-stream error: a `data:` frame holding `{ error }`. In the JSON-array form (no
 * `alt=sse`) it is the next element and the closing bracket, which assumes a chunk was written.
 */
export function renderGeminiErrorEvent(
  error: ResolvedMockError,
  context: MockRequestContext,
): string {
  const status = error.status === 200 ? { ...error, status: 500 } : error;
  const json = JSON.stringify({ error: rpcStatus(status, context) });
  return isSse(context) ? `data: ${json}\r\n\r\n` : `,\r\n${json}\r\n]`;
}

function rpcStatus(error: ResolvedMockError, context: MockRequestContext): Record<string, unknown> {
  const model = geminiModel(undefined, context);
  const defaults = defaultMessage(error, context, model);
  const details = [...defaults.details];
  if (error.retryAfterSeconds !== undefined) {
    details.push({
      "@type": "type.googleapis.com/google.rpc.RetryInfo",
      retryDelay: `${Math.round(error.retryAfterSeconds * 1000) / 1000}s`,
    });
  }
  const status: Record<string, unknown> = {
    code: error.status,
    message: error.message ?? defaults.message,
    status:
      GOOGLE_STATUS[error.status] ?? (error.status >= 500 ? "UNKNOWN" : "FAILED_PRECONDITION"),
  };
  if (details.length > 0) status.details = details;
  return status;
}

function defaultMessage(
  error: ResolvedMockError,
  context: MockRequestContext,
  model: string,
): { message: string; details: Record<string, unknown>[] } {
  switch (error.kind) {
    case "rate_limit":
      return { message: QUOTA_MESSAGE, details: quotaDetails(model, "PerMinute", "10") };
    case "quota":
      return { message: QUOTA_MESSAGE, details: quotaDetails(model, "PerDay", "250") };
    case "overloaded":
      return { message: "The model is overloaded. Please try again later.", details: [] };
    case "server":
      return {
        message:
          "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
        details: [],
      };
    case "auth":
      return error.status === 401
        ? {
            message:
              "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
            details: [],
          }
        : { message: API_KEY_MESSAGE, details: apiKeyDetails() };
    case "permission":
      return { message: "The caller does not have permission", details: [] };
    case "not_found": {
      const method = context.path.slice(context.path.lastIndexOf(":") + 1);
      return {
        message: `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
        details: [],
      };
    }
    case "context_length":
      return {
        message:
          "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
        details: [],
      };
    case "content_filter":
      return { message: "The prompt was blocked due to safety reasons.", details: [] };
    default:
      return { message: "Request contains an invalid argument.", details: [] };
  }
}

function quotaDetails(model: string, window: "PerMinute" | "PerDay", limit: string) {
  return [
    {
      "@type": "type.googleapis.com/google.rpc.QuotaFailure",
      violations: [
        {
          quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
          quotaId: `GenerateRequests${window}PerProjectPerModel-FreeTier`,
          quotaDimensions: { location: "global", model },
          quotaValue: limit,
        },
      ],
    },
    {
      "@type": "type.googleapis.com/google.rpc.Help",
      links: [
        {
          description: "Learn more about Gemini API quotas",
          url: "https://ai.google.dev/gemini-api/docs/rate-limits",
        },
      ],
    },
  ];
}

function apiKeyDetails() {
  return [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "API_KEY_INVALID",
      domain: "googleapis.com",
      metadata: { service: "generativelanguage.googleapis.com" },
    },
    {
      "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
      locale: "en-US",
      message: API_KEY_MESSAGE,
    },
  ];
}
