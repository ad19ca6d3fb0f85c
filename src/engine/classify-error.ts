import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import type { ErrorKind } from "../errors/error-kind.js";
import { ProviderError } from "../errors/provider-error.js";
import { kindOfNetworkCode, networkErrorCode } from "./network-error-kind.js";

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

/**
 * HTTP meaning of a status code, without vendor knowledge: the one status-to-kind function, for the
 * engine and for every adapter before its vendor-specific reading of the body.
 * 429 rate_limited, 402 quota_exhausted, 401/403 auth, 404 not_found, 408 and 5xx transient (529 is
 * an overload status some vendors use), other 4xx (413 included) invalid_request, anything else unknown.
 */
export function kindOfStatus(status: number): ErrorKind {
  switch (status) {
    case 429:
      return "rate_limited";
    case 402:
      return "quota_exhausted";
    case 401:
    case 403:
      return "auth";
    case 404:
      return "not_found";
    case 408:
      return "transient";
  }
  if (status >= 500 && status <= 599) return "transient";
  if (status >= 400 && status <= 499) return "invalid_request";
  return "unknown";
}

/**
 * Classifies any thrown value. A `ProviderError` already carries its facts; a plain error may carry a
 * numeric `status` (HTTP meaning), `retryAfterMs` or `headers` with `retry-after`, or a network `code`
 * (`NETWORK_ERROR_KINDS`: a timeout or a transient fault).
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
  const networkKind = kindOfNetworkCode(networkErrorCode(error));
  if (networkKind !== undefined) return { kind: networkKind, retryAfterMs, status };
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
