import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import type { ErrorKind } from "../errors/error-kind.js";
import { ProviderError } from "../errors/provider-error.js";

/** The facts the engine acts on: what kind of failure, and how long the provider asked us to wait. */
export interface Classification {
  kind: ErrorKind;
  retryAfterMs: number | undefined;
  status: number | undefined;
}

/** A user's override: return a kind, a full classification, or undefined to use the defaults. */
export type ClassifyFn = (
  error: unknown,
  targetId: string,
) => ErrorKind | Partial<Classification> | undefined;

const TRANSIENT_STATUSES = new Set([408, 500, 502, 503, 504, 529]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** HTTP meaning of a status code, as the engine understands it without vendor knowledge. */
export function kindOfStatus(status: number): ErrorKind {
  if (status === 429) return "rate_limited";
  if (status === 402) return "quota_exhausted";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (TRANSIENT_STATUSES.has(status) || status >= 500) return "transient";
  if (status >= 400) return "invalid_request";
  return "unknown";
}

/**
 * Classifies any thrown value. A `ProviderError` already carries its facts; a plain error may carry a
 * numeric `status` (HTTP meaning), `retryAfterMs` or `headers` with `retry-after`, or a network `code`.
 */
export function classifyError(error: unknown): Classification {
  if (error instanceof ProviderError) {
    return { kind: error.kind, retryAfterMs: error.retryAfterMs, status: error.status };
  }
  if (error instanceof AttemptTimeoutError) {
    return { kind: "timeout", retryAfterMs: undefined, status: undefined };
  }
  if (typeof error !== "object" || error === null) {
    return { kind: "unknown", retryAfterMs: undefined, status: undefined };
  }
  const fields = error as Record<string, unknown>;
  const status = numberField(fields.status) ?? numberField(fields.statusCode);
  const retryAfterMs = numberField(fields.retryAfterMs) ?? retryAfterFromHeaders(fields.headers);
  if (status !== undefined) return { kind: kindOfStatus(status), retryAfterMs, status };
  if (typeof fields.code === "string" && NETWORK_CODES.has(fields.code)) {
    return { kind: "transient", retryAfterMs, status };
  }
  if (fields.name === "AbortError") return { kind: "cancelled", retryAfterMs, status };
  const cause = fields.cause;
  if (cause && cause !== error && typeof cause === "object") {
    const inner = classifyError(cause);
    if (inner.kind !== "unknown") return inner;
  }
  return { kind: "unknown", retryAfterMs, status };
}

function numberField(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** `retry-after` in seconds (HTTP dates need a wall clock: adapters handle those). */
function retryAfterFromHeaders(headers: unknown): number | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  const get = (name: string): unknown =>
    typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get(name: string): unknown }).get(name)
      : (headers as Record<string, unknown>)[name];
  const milliseconds = Number(get("retry-after-ms"));
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const seconds = Number(get("retry-after"));
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return undefined;
}

/** Applies a user's `classify` override on top of the defaults. */
export function classifyWith(
  override: ClassifyFn | undefined,
  error: unknown,
  targetId: string,
): Classification {
  const base = classifyError(error);
  if (!override) return base;
  const custom = override(error, targetId);
  if (custom === undefined) return base;
  if (typeof custom === "string") return { ...base, kind: custom };
  return { ...base, ...custom };
}
