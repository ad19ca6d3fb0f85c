import { kindOfStatus } from "../../engine/classify-error.js";
import type { ErrorKind } from "../../errors/error-kind.js";
import { ProviderError } from "../../errors/provider-error.js";
import { asArray, asRecord, asString, type JsonRecord } from "../shared/json-fields.js";
import { parseDurationText, parseRetryAfterMs } from "../shared/retry-after.js";

export interface MapGeminiErrorOptions {
  /** The provider name, for the message and `ProviderError.provider`. */
  provider: string;
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The response body as text. */
  body: string;
  /** Wall clock (`Date.now()`), for a Retry-After date. */
  nowMs: number;
}

/** A failed Gemini response -> a classified ProviderError (see `classifyGeminiError`). */
export function mapGeminiError(options: MapGeminiErrorOptions): ProviderError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(options.body);
  } catch {
    parsed = undefined;
  }
  // Gemini's non-SSE stream answers errors as a one-element array; accept both shapes.
  const envelope = asRecord(Array.isArray(parsed) ? parsed[0] : parsed);
  return classifyGeminiError(asRecord(envelope?.error), {
    provider: options.provider,
    status: options.status,
    headers: options.headers,
    nowMs: options.nowMs,
    fallbackMessage: options.body,
  });
}

export interface ClassifyGeminiErrorOptions {
  provider: string;
  /** The HTTP status; for an error inside a 200 stream, pass the error's own `code`. */
  status: number;
  headers: Record<string, string>;
  nowMs: number;
  /** Used when the error object has no message (e.g. a body that is not JSON). */
  fallbackMessage?: string;
}

/**
 * Classifies a Google RPC error object (`{code, message, status, details}`):
 *
 * | Gemini                                                      | kind              |
 * | ----------------------------------------------------------- | ----------------- |
 * | ErrorInfo `API_KEY_INVALID`, "API key not valid"            | `auth`            |
 * | 401 UNAUTHENTICATED, 403 PERMISSION_DENIED                  | `auth`            |
 * | 429 RESOURCE_EXHAUSTED, a QuotaFailure quotaId with PerDay  | `quota_exhausted` |
 * | 429 RESOURCE_EXHAUSTED otherwise                            | `rate_limited`    |
 * | 404 NOT_FOUND                                               | `not_found`       |
 * | "input token count ... exceeds the maximum"                 | `context_length`  |
 * | 400 INVALID_ARGUMENT, FAILED_PRECONDITION                   | `invalid_request` |
 * | 500 INTERNAL, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED        | `transient`       |
 * | anything else                                               | by HTTP status    |
 *
 * The wait comes from `retry-after(-ms)` headers, else the RetryInfo detail's `retryDelay` ("23s").
 */
export function classifyGeminiError(
  error: JsonRecord | undefined,
  options: ClassifyGeminiErrorOptions,
): ProviderError {
  const { provider, status } = options;
  const vendorStatus = asString(error?.status);
  const message = asString(error?.message) ?? options.fallbackMessage ?? "";
  const details = readDetails(asArray(error?.details));
  const kind = classify(status, vendorStatus, message, details);
  const retryAfterMs =
    parseRetryAfterMs(options.headers, options.nowMs) ??
    (details.retryDelay === undefined ? undefined : parseDurationText(details.retryDelay)) ??
    readRetryHint(message);
  const quota =
    kind === "quota_exhausted" && details.perDayQuota !== undefined
      ? ` (quota ${details.perDayQuota})`
      : "";
  const label = vendorStatus === undefined ? `${status}` : `${status} ${vendorStatus}`;
  return new ProviderError(`${provider} answered ${label}${quota}: ${clean(message)}`, {
    kind,
    provider,
    status,
    retryAfterMs,
    vendorCode: details.reason ?? vendorStatus,
  });
}

interface ErrorDetails {
  reason: string | undefined;
  retryDelay: string | undefined;
  perDayQuota: string | undefined;
}

function readDetails(details: unknown[]): ErrorDetails {
  const result: ErrorDetails = { reason: undefined, retryDelay: undefined, perDayQuota: undefined };
  for (const item of details) {
    const detail = asRecord(item);
    const type = asString(detail?.["@type"]) ?? "";
    if (detail === undefined) continue;
    if (type.endsWith("google.rpc.ErrorInfo")) result.reason ??= asString(detail.reason);
    if (type.endsWith("google.rpc.RetryInfo")) result.retryDelay ??= asString(detail.retryDelay);
    if (type.endsWith("google.rpc.QuotaFailure")) {
      for (const violation of asArray(detail.violations)) {
        const quotaId = asString(asRecord(violation)?.quotaId);
        if (quotaId?.includes("PerDay")) result.perDayQuota ??= quotaId;
      }
    }
  }
  return result;
}

function classify(
  status: number,
  vendorStatus: string | undefined,
  message: string,
  details: ErrorDetails,
): ErrorKind {
  if (details.reason === "API_KEY_INVALID" || /API key not (valid|found)/i.test(message)) {
    return "auth";
  }
  if (status === 401 || status === 403) return "auth";
  if (vendorStatus === "UNAUTHENTICATED" || vendorStatus === "PERMISSION_DENIED") return "auth";
  if (status === 429 || vendorStatus === "RESOURCE_EXHAUSTED") {
    return details.perDayQuota === undefined ? "rate_limited" : "quota_exhausted";
  }
  if (status === 404 || vendorStatus === "NOT_FOUND") return "not_found";
  if (/input token count.*exceeds the maximum/is.test(message)) return "context_length";
  if (vendorStatus === "INVALID_ARGUMENT" || vendorStatus === "FAILED_PRECONDITION") {
    return "invalid_request";
  }
  if (
    vendorStatus === "INTERNAL" ||
    vendorStatus === "UNAVAILABLE" ||
    vendorStatus === "DEADLINE_EXCEEDED"
  ) {
    return "transient";
  }
  return kindOfStatus(status);
}

/** "... Please retry in 26.66s." in the message, when no RetryInfo detail says it. */
function readRetryHint(message: string): number | undefined {
  const match = /retry in (\d+(?:\.\d+)?(?:ms|s))\b/i.exec(message);
  return match?.[1] === undefined ? undefined : parseDurationText(match[1]);
}

const GOOGLE_API_KEY = /AIza[0-9A-Za-z_-]{20,}/g;

/** One line, at most 300 characters, with anything shaped like a Google API key redacted. */
function clean(message: string): string {
  const line = message.replace(/\s+/g, " ").trim().replace(GOOGLE_API_KEY, "[redacted]");
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}
