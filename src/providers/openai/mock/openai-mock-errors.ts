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
import { openaiDuration, openaiMockHeaders } from "./openai-mock-headers.js";
import { renderResponsesErrorEvent } from "./openai-mock-responses.js";

interface OpenaiErrorFields {
  type: string;
  code: string | null;
  param: string | null;
  message: string;
}

/** OpenAI's status for each kind: the common one (429, 503, 500, 401, 403, 404, 400). */
export function openaiStatusFor(kind: MockErrorKind): number {
  return commonStatusFor(kind);
}

/** `{ error: { message, type, param, code } }` with OpenAI's wording and rate-limit headers. */
export function renderOpenaiError(
  error: ResolvedMockError,
  context: MockRequestContext,
): RenderedResponse {
  const headers = openaiMockHeaders("application/json");
  if (error.kind === "rate_limit") {
    const resetSeconds = error.retryAfterSeconds ?? 20;
    headers["x-ratelimit-limit-requests"] = "500";
    headers["x-ratelimit-remaining-requests"] = "0";
    headers["x-ratelimit-reset-requests"] = openaiDuration(resetSeconds);
    headers["x-ratelimit-limit-tokens"] = "30000";
    headers["x-ratelimit-remaining-tokens"] = "29000";
    headers["x-ratelimit-reset-tokens"] = openaiDuration(resetSeconds);
  }
  if (error.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(Math.ceil(error.retryAfterSeconds));
    if (!Number.isInteger(error.retryAfterSeconds)) {
      headers["retry-after-ms"] = String(Math.round(error.retryAfterSeconds * 1000));
    }
  }
  return {
    status: error.status,
    headers,
    body: JSON.stringify({ error: openaiErrorFields(error, context) }),
  };
}

/** OpenAI's in-stream error: a `data:` line whose object has an `error` member. */
export function renderOpenaiErrorEvent(
  error: ResolvedMockError,
  context: MockRequestContext,
): string {
  const fields = openaiErrorFields(error, context);
  if (context.route === "openai.responses") {
    const { code, message, param } = fields;
    return renderResponsesErrorEvent({ code: code ?? fields.type, message, param });
  }
  return sseFrame(JSON.stringify({ error: fields }));
}

function openaiErrorFields(
  error: ResolvedMockError,
  context: MockRequestContext,
): OpenaiErrorFields {
  const model = stringField(context.body, "model") ?? "gpt-4o-mini";
  const fields = defaultFields(error, model);
  return {
    message: error.message ?? fields.message,
    type: fields.type,
    param: fields.param,
    code: fields.code,
  };
}

function defaultFields(error: ResolvedMockError, model: string): OpenaiErrorFields {
  const invalid = { type: "invalid_request_error", param: null };
  switch (error.kind) {
    case "rate_limit":
      return {
        type: "requests",
        code: "rate_limit_exceeded",
        param: null,
        message: `Rate limit reached for ${model} in organization org-mock on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${openaiDuration(error.retryAfterSeconds ?? 20)}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      };
    case "quota":
      return {
        type: "insufficient_quota",
        code: "insufficient_quota",
        param: null,
        message:
          "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
      };
    case "overloaded":
      return {
        type: "server_error",
        code: null,
        param: null,
        message:
          "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists.",
      };
    case "server":
      return {
        type: "server_error",
        code: null,
        param: null,
        message: "The server had an error while processing your request. Sorry about that!",
      };
    case "auth":
      return {
        ...invalid,
        code: "invalid_api_key",
        message:
          "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
      };
    case "permission":
      return {
        ...invalid,
        code: null,
        message:
          "You have insufficient permissions for this operation. Missing scopes: model.request.",
      };
    case "not_found":
      return {
        ...invalid,
        code: "model_not_found",
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
      };
    case "context_length":
      return {
        type: "invalid_request_error",
        param: "messages",
        code: "context_length_exceeded",
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
      };
    case "content_filter":
      return {
        ...invalid,
        code: "invalid_prompt",
        message:
          "Invalid prompt: your prompt was flagged as potentially violating our usage policy. Please try again with a different prompt.",
      };
    default:
      return {
        ...invalid,
        code: null,
        message: "Unrecognized request argument supplied: mock_rejected",
      };
  }
}
