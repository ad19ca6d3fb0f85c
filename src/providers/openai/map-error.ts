import { kindOfStatus } from "../../engine/classify-error.js";
import type { ErrorKind } from "../../errors/error-kind.js";
import { ProviderError } from "../../errors/provider-error.js";
import { isRecord, readRecord, readString } from "../shared/json-fields.js";
import { parseDurationText, parseRetryAfterMs } from "../shared/retry-after.js";

/** The fields of an OpenAI-format error object (`{"error": {message, type, code, param}}`). */
export interface OpenAIErrorFields {
  message: string | undefined;
  type: string | undefined;
  code: string | undefined;
}

const QUOTA_CODES = new Set([
  "insufficient_quota",
  "billing_hard_limit_reached",
  "billing_not_active",
  "quota_exceeded",
]);
/** `invalid_prompt`: a prompt flagged by the safety system ("...potentially violating our usage policy"). */
const CONTENT_FILTER_CODES = new Set([
  "content_filter",
  "content_policy_violation",
  "invalid_prompt",
]);
const NOT_FOUND_CODES = new Set(["model_not_found", "deployment_not_found"]);
const AUTH_CODES = new Set(["invalid_api_key", "authentication_error", "permission_denied"]);

/**
 * The classification table for OpenAI-format errors. The vendor code wins over the status where it
 * is more precise: quota and billing codes -> quota_exhausted (on 429, 402 or any status),
 * content filter codes -> content_filter, `context_length_exceeded` -> context_length,
 * `model_not_found` -> not_found. Then 429 -> rate_limited, 401/403 -> auth, 404 -> not_found, other
 * 4xx -> invalid_request, 5xx -> transient. `status` is undefined for an error inside a 200 stream:
 * then the error `type` decides, and anything unrecognised is transient.
 */
export function classifyOpenAIError(
  status: number | undefined,
  fields: OpenAIErrorFields,
): ErrorKind {
  const code = fields.code ?? "";
  const type = fields.type ?? "";
  if (QUOTA_CODES.has(code) || QUOTA_CODES.has(type)) return "quota_exhausted";
  if (CONTENT_FILTER_CODES.has(code) || CONTENT_FILTER_CODES.has(type)) return "content_filter";
  if (code === "context_length_exceeded" || type === "context_length_exceeded") {
    return "context_length";
  }
  // Compatible servers (vLLM, llama.cpp, ...) often say it only in prose.
  if ((status === 400 || status === 413 || status === undefined) && mentionsContextLength(fields)) {
    return "context_length";
  }
  if (NOT_FOUND_CODES.has(code)) return "not_found";
  if (status !== undefined) return kindOfStatus(status);
  if (
    code === "rate_limit_exceeded" ||
    type === "rate_limit_error" ||
    type === "tokens" ||
    type === "requests"
  ) {
    return "rate_limited";
  }
  if (AUTH_CODES.has(code) || type === "authentication_error") return "auth";
  if (type === "invalid_request_error") return "invalid_request";
  return "transient";
}

function mentionsContextLength(fields: OpenAIErrorFields): boolean {
  const message = fields.message?.toLowerCase() ?? "";
  return message.includes("maximum context length") || message.includes("context window");
}

/** Reads the error object out of an error body, tolerating the shapes compatible servers use. */
export function readErrorFields(body: unknown): OpenAIErrorFields {
  if (!isRecord(body)) return { message: undefined, type: undefined, code: undefined };
  const error = readRecord(body, "error");
  if (error !== undefined) {
    const code = error.code;
    return {
      message: readString(error, "message"),
      type: readString(error, "type"),
      code: typeof code === "number" ? String(code) : typeof code === "string" ? code : undefined,
    };
  }
  return {
    message: readString(body, "error") ?? readString(body, "message") ?? readString(body, "detail"),
    type: readString(body, "type"),
    code: readString(body, "code"),
  };
}

/**
 * How long a 429 asks us to wait. `retry-after-ms` / `retry-after` are explicit and win. Otherwise
 * OpenAI sends `x-ratelimit-reset-requests` and `x-ratelimit-reset-tokens` (Go durations, "6m0s"),
 * the time until each window refills. The relevant one is the window that ran out: the one whose
 * `x-ratelimit-remaining-*` is 0, or the one the error type names ("requests"/"tokens"); if both ran
 * out we must wait for both, so the larger. When nothing says which, we take the smaller: it is the
 * earliest moment a retry can succeed, and waiting too little costs one more 429 while waiting too
 * long keeps a healthy provider out of rotation.
 */
export function rateLimitWaitMs(
  headers: Record<string, string>,
  nowMs: number,
  errorType: string | undefined,
): number | undefined {
  const explicit = parseRetryAfterMs(headers, nowMs);
  if (explicit !== undefined) return explicit;
  const requestsMs = readDuration(headers["x-ratelimit-reset-requests"]);
  const tokensMs = readDuration(headers["x-ratelimit-reset-tokens"]);
  const requestsOut =
    headers["x-ratelimit-remaining-requests"]?.trim() === "0" || errorType === "requests";
  const tokensOut =
    headers["x-ratelimit-remaining-tokens"]?.trim() === "0" || errorType === "tokens";
  const candidates: number[] = [];
  if (requestsOut && requestsMs !== undefined) candidates.push(requestsMs);
  if (tokensOut && tokensMs !== undefined) candidates.push(tokensMs);
  if (candidates.length > 0) return Math.max(...candidates);
  const known = [requestsMs, tokensMs].filter((value): value is number => value !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

function readDuration(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseDurationText(text);
}

/** OpenAI masks keys in 401 messages ("sk-abc***xyz"); even a masked key stays out of our messages. */
function redactKeys(text: string): string {
  return text.replace(/\b(sk|gsk|xai|pk|rk)-[\w*.-]{3,}/g, "$1-***");
}

function truncate(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, maxLength)}...` : text;
}

/** An error response (status, headers, raw body text) -> a classified ProviderError. */
export function mapError(options: {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  nowMs: number;
  provider: string;
}): ProviderError {
  const { status, headers, bodyText, nowMs, provider } = options;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const fields = readErrorFields(body);
  const kind = classifyOpenAIError(status, fields);
  const retryAfterMs =
    kind === "rate_limited"
      ? rateLimitWaitMs(headers, nowMs, fields.type)
      : kind === "quota_exhausted"
        ? undefined
        : parseRetryAfterMs(headers, nowMs);
  const vendorCode = fields.code ?? fields.type;
  const detail = fields.message ?? (bodyText.trim() === "" ? "(empty body)" : bodyText);
  const message = `${provider} answered HTTP ${status}${vendorCode ? ` (${vendorCode})` : ""}: ${truncate(redactKeys(detail), 300)}`;
  return new ProviderError(message, { kind, provider, status, retryAfterMs, vendorCode });
}

/** An `error` object inside a 200 stream -> a classified ProviderError. */
export function mapStreamError(error: unknown, provider: string): ProviderError {
  const fields = readErrorFields({ error });
  // Some routers put the upstream HTTP status in `code` (e.g. 502); classify by it when they do.
  const codeStatus =
    fields.code !== undefined && /^[45]\d\d$/.test(fields.code) ? Number(fields.code) : undefined;
  const kind = classifyOpenAIError(codeStatus, fields);
  const vendorCode = fields.code ?? fields.type;
  const detail = truncate(redactKeys(fields.message ?? JSON.stringify(error)), 300);
  return new ProviderError(
    `${provider} sent an error mid-stream${vendorCode ? ` (${vendorCode})` : ""}: ${detail}`,
    { kind, provider, vendorCode },
  );
}
