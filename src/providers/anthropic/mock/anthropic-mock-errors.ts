import type {
  MockErrorKind,
  MockRequestContext,
  RenderedResponse,
  ResolvedMockError,
} from "../../../testing/mock-kit/mock-vendor.js";
import {
  commonStatusFor,
  sseFrame,
  stringField,
} from "../../../testing/mock-kit/mock-wire-helpers.js";
import { anthropicMockHeaders, anthropicRequestId } from "./anthropic-mock-headers.js";

/** Anthropic answers overload with 529 and an empty credit balance with 400. */
export function anthropicStatusFor(kind: MockErrorKind): number {
  if (kind === "overloaded") return 529;
  if (kind === "quota") return 400;
  return commonStatusFor(kind);
}

/** `{ type: "error", error: { type, message }, request_id }`, with rate-limit headers on 429. */
export function renderAnthropicError(
  error: ResolvedMockError,
  context: MockRequestContext,
): RenderedResponse {
  const headers = anthropicMockHeaders("application/json");
  if (error.kind === "rate_limit") {
    const resetAt = new Date(Date.now() + (error.retryAfterSeconds ?? 20) * 1000).toISOString();
    for (const [name, limit, remaining] of RATE_LIMITS) {
      headers[`anthropic-ratelimit-${name}-limit`] = limit;
      headers[`anthropic-ratelimit-${name}-remaining`] = remaining;
      headers[`anthropic-ratelimit-${name}-reset`] = resetAt;
    }
  }
  if (error.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(Math.ceil(error.retryAfterSeconds));
  }
  const body = {
    type: "error",
    error: errorFields(error, context),
    request_id: headers["request-id"] ?? anthropicRequestId(),
  };
  return { status: error.status, headers, body: JSON.stringify(body) };
}

/** Anthropic's in-stream error: an `error` event. */
export function renderAnthropicErrorEvent(
  error: ResolvedMockError,
  context: MockRequestContext,
): string {
  return sseFrame(JSON.stringify({ type: "error", error: errorFields(error, context) }), "error");
}

const RATE_LIMITS: readonly (readonly [string, string, string])[] = [
  ["requests", "50", "0"],
  ["tokens", "90000", "0"],
  ["input-tokens", "50000", "0"],
  ["output-tokens", "40000", "0"],
];

function errorFields(
  error: ResolvedMockError,
  context: MockRequestContext,
): { type: string; message: string } {
  const fields = defaultFields(error, stringField(context.body, "model") ?? "claude-sonnet-4-6");
  return error.message === undefined ? fields : { ...fields, message: error.message };
}

function defaultFields(error: ResolvedMockError, model: string): { type: string; message: string } {
  if (error.status === 413) {
    return {
      type: "request_too_large",
      message: "Request exceeds the maximum allowed number of bytes.",
    };
  }
  switch (error.kind) {
    case "rate_limit":
      return {
        type: "rate_limit_error",
        message:
          "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.",
      };
    case "quota":
      return error.status === 402
        ? {
            type: "billing_error",
            message: "There is an issue with your billing or payment information.",
          }
        : {
            type: "invalid_request_error",
            message:
              "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
          };
    case "overloaded":
      return { type: "overloaded_error", message: "Overloaded" };
    case "server":
      return { type: "api_error", message: "Internal server error" };
    case "auth":
      return { type: "authentication_error", message: "invalid x-api-key" };
    case "permission":
      return {
        type: "permission_error",
        message: "Your API key does not have permission to use the specified resource.",
      };
    case "not_found":
      return { type: "not_found_error", message: `model: ${model}` };
    case "context_length":
      return {
        type: "invalid_request_error",
        message: "prompt is too long: 215000 tokens > 200000 maximum",
      };
    case "content_filter":
      return {
        type: "invalid_request_error",
        message: "Output blocked by content filtering policy",
      };
    default:
      return { type: "invalid_request_error", message: "max_tokens: Field required" };
  }
}
