import { ProviderError } from "../../errors/provider-error.js";
import { parseRetryAfterMs } from "../shared/retry-after.js";
import { type AnthropicErrorInfo, classifyError, readErrorInfo } from "./classify-error.js";
import { parseRateLimitResetMs, parseRegainAccessMs } from "./rate-limit-reset.js";

const MAX_DETAIL_CHARS = 300;

/**
 * An error response -> a classified ProviderError (pure; `nowMs` is the wall clock, for reset times).
 * The wait comes from `retry-after`; for a rate limit without it, from the
 * `anthropic-ratelimit-*-reset` times; for a spend limit, from the "regain access on" date.
 */
export function mapError(
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  nowMs: number,
  provider = "anthropic",
): ProviderError {
  const info = readErrorInfo(parseOrUndefined(bodyText));
  const kind = classifyError(status, info);
  let retryAfterMs = parseRetryAfterMs(headers, nowMs);
  if (retryAfterMs === undefined && kind === "rate_limited") {
    retryAfterMs = parseRateLimitResetMs(headers, nowMs);
  }
  if (retryAfterMs === undefined && kind === "quota_exhausted" && info.message !== undefined) {
    retryAfterMs = parseRegainAccessMs(info.message, nowMs);
  }
  const what = info.type === undefined ? `${status}` : `${status} ${info.type}`;
  const detail = info.message === undefined ? previewBody(bodyText) : truncate(info.message);
  const wait = retryAfterMs === undefined ? "" : ` (retry in ${Math.ceil(retryAfterMs)} ms)`;
  return new ProviderError(`${provider} answered ${what}${wait}: ${detail}`, {
    kind,
    provider,
    status,
    retryAfterMs,
    vendorCode: info.errorCode ?? info.type,
  });
}

/**
 * A stream `error` event's data (`{"type":"error","error":{...}}`) -> a ProviderError; the HTTP
 * status was 200, so only the body classifies it.
 */
export function mapStreamError(payload: unknown, nowMs: number, provider: string): ProviderError {
  const info: AnthropicErrorInfo = readErrorInfo(payload);
  const kind = classifyError(undefined, info);
  const retryAfterMs =
    kind === "quota_exhausted" && info.message !== undefined
      ? parseRegainAccessMs(info.message, nowMs)
      : undefined;
  return new ProviderError(
    `${provider} stream failed with ${info.type ?? "an unnamed error"}: ${truncate(info.message ?? "no message")}`,
    { kind, provider, retryAfterMs, vendorCode: info.errorCode ?? info.type },
  );
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function previewBody(text: string): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  return collapsed === "" ? "empty body" : truncate(collapsed);
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}...` : text;
}
