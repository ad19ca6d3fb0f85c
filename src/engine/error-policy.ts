import type { CooldownReason } from "../errors/attempt-record.js";
import type { ErrorKind } from "../errors/error-kind.js";

/** What the engine does about a failure of a given kind. Pure data: the decision table in one place. */
export interface ErrorPolicy {
  /** Retry the same provider (with backoff, within the retry budget). */
  retry: boolean;
  /** Try the next candidate. When false the call stops and the original error is raised. */
  failover: boolean;
  /** Counts as a failure of the provider for its circuit breaker. */
  breakerFailure: boolean;
  /**
   * Puts the provider in cooldown: `rate_limited` (its retry-after), `quota_exhausted` (the long
   * quota cooldown) or `auth_failed` (a rejected key is taken out of rotation, without touching its
   * siblings).
   */
  cooldown: CooldownReason | undefined;
  /** The caller's own request is at fault: no provider would do better (a gateway answers 4xx). */
  callerFault: boolean;
}

const F = false;
const T = true;

// The table: retry, failover, breakerFailure, cooldown, callerFault.
// `internal`: our own code failed on the way to or from the provider: not the provider's fault, and
// the same request would fail the same way again there; another provider's mapping may succeed.
const POLICIES: Record<ErrorKind, ErrorPolicy> = {
  transient: row(T, T, T, undefined, F),
  timeout: row(T, T, T, undefined, F),
  unknown: row(T, T, T, undefined, F),
  rate_limited: row(F, T, F, "rate_limited", F),
  quota_exhausted: row(F, T, F, "quota_exhausted", F),
  auth: row(F, T, F, "auth_failed", F),
  not_found: row(F, T, F, undefined, F),
  context_length: row(F, T, F, undefined, T),
  internal: row(F, T, F, undefined, F),
  invalid_request: row(F, F, F, undefined, T),
  content_filter: row(F, F, F, undefined, T),
  cancelled: row(F, F, F, undefined, F),
};

function row(
  retry: boolean,
  failover: boolean,
  breakerFailure: boolean,
  cooldown: CooldownReason | undefined,
  callerFault: boolean,
): ErrorPolicy {
  return { retry, failover, breakerFailure, cooldown, callerFault };
}

export function policyFor(kind: ErrorKind): ErrorPolicy {
  return POLICIES[kind];
}
