/**
 * What went wrong, as a fact. Policies (retry, failover, breaker, cooldown) decide what to do about it.
 *
 * - `rate_limited`: slow down; try elsewhere now, this provider again after `retryAfterMs`.
 * - `quota_exhausted`: billing or quota used up; this provider is out for a long while.
 * - `transient`: a 5xx, overload, network fault or broken stream; worth a retry.
 * - `timeout`: the attempt ran past its time; treated like `transient`.
 * - `auth`: the provider rejected the credentials (401/403).
 * - `not_found`: the provider does not know the model or route (404).
 * - `context_length`: the input is too long for this model; another model may take it.
 * - `invalid_request`: the caller's fault; no other provider will do better.
 * - `content_filter`: refused by a safety system; the caller's fault by default.
 * - `cancelled`: the caller aborted.
 * - `internal`: our own code failed while preparing the request for a provider or reading its
 *   answer (a mapper's TypeError, a stack overflow on a deeply nested body): not the provider's
 *   fault, so it counts against no breaker, cooldown or health state; the next provider is tried.
 * - `unknown`: nothing better is known; treated like `transient`.
 */
export type ErrorKind =
  | "rate_limited"
  | "quota_exhausted"
  | "transient"
  | "timeout"
  | "auth"
  | "not_found"
  | "context_length"
  | "invalid_request"
  | "content_filter"
  | "cancelled"
  | "internal"
  | "unknown";

export const ERROR_KINDS: readonly ErrorKind[] = [
  "rate_limited",
  "quota_exhausted",
  "transient",
  "timeout",
  "auth",
  "not_found",
  "context_length",
  "invalid_request",
  "content_filter",
  "cancelled",
  "internal",
  "unknown",
];
