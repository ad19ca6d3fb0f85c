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
   * Puts the provider in cooldown: `rate` (its retry-after), `quota` (the long quota cooldown) or
   * `auth` (a rejected key is taken out of rotation, without touching its siblings).
   */
  cooldown: "rate" | "quota" | "auth" | undefined;
}

const POLICIES: Record<ErrorKind, ErrorPolicy> = {
  transient: { retry: true, failover: true, breakerFailure: true, cooldown: undefined },
  timeout: { retry: true, failover: true, breakerFailure: true, cooldown: undefined },
  unknown: { retry: true, failover: true, breakerFailure: true, cooldown: undefined },
  rate_limited: { retry: false, failover: true, breakerFailure: false, cooldown: "rate" },
  quota_exhausted: { retry: false, failover: true, breakerFailure: false, cooldown: "quota" },
  auth: { retry: false, failover: true, breakerFailure: false, cooldown: "auth" },
  not_found: { retry: false, failover: true, breakerFailure: false, cooldown: undefined },
  context_length: { retry: false, failover: true, breakerFailure: false, cooldown: undefined },
  invalid_request: { retry: false, failover: false, breakerFailure: false, cooldown: undefined },
  content_filter: { retry: false, failover: false, breakerFailure: false, cooldown: undefined },
  cancelled: { retry: false, failover: false, breakerFailure: false, cooldown: undefined },
};

export function policyFor(kind: ErrorKind): ErrorPolicy {
  return POLICIES[kind];
}
