/**
 * The one place that decides how any error looks to a gateway client: `describeError` maps it to a
 * vendor-neutral `{ status, category, message, ... }`, and each client protocol's `renderError`
 * (src/gateway/protocols/<format>/render-error.ts) turns that into its wire body.
 *
 * Rules:
 * - The client's fault (invalid request, context too long, content filtered) is a 4xx with the
 *   upstream's explanation; the upstream's trouble is a 5xx.
 * - An upstream 401/403 means the gateway's own provider credentials are bad: 502, never a 401,
 *   which would tell the client its virtual key is wrong.
 * - `quota_exhausted` is a 502, not a 429: the client is not sending too fast, and backing off will
 *   not help until an operator restores the upstream account; a 429 would also be confused with the
 *   gateway's own per-key rate limits. It is marked not retryable.
 * - Anything unknown is a 500 "internal error" with no details (logs carry them). So is a call whose
 *   every attempt failed in the gateway's own code (kind `internal`: preparing the request for an
 *   upstream or reading its answer threw), marked not retryable: the same request fails the same way.
 * - A call that failed over after a content-policy refusal (`contentFilterFallback`) and found no
 *   answer ends with the last refusal, described as that target's own error (a 400).
 * Messages and attempt lists are cut short and scrubbed of anything that looks like a credential.
 */

import { policyFor } from "../engine/error-policy.js";
import { isAllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import type { AttemptRecord, SkipReason } from "../errors/attempt-record.js";
import { isAttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import { isFactoryClosedError } from "../errors/factory-closed-error.js";
import { isProviderError, type ProviderError } from "../errors/provider-error.js";
import { isStreamInterruptedError } from "../errors/stream-interrupted-error.js";
import { isBudgetExceededError } from "../store/budget-exceeded-error.js";
import { isGatewayRequestError } from "./protocols/gateway-request-error.js";
import {
  describeAttemptSummary,
  type GatewayAttemptSummary,
  redactMessage,
  summarizeAttempts,
} from "./protocols/summarize-attempts.js";
import { lastRefusalIn } from "./routing/refusals.js";

export type { GatewayAttemptSummary } from "./protocols/summarize-attempts.js";

export type GatewayErrorCategory =
  | "invalid_request"
  | "context_length"
  | "content_filter"
  | "authentication"
  | "not_found"
  | "request_too_large"
  | "rate_limited"
  | "quota_exhausted"
  | "upstream_error"
  | "unavailable"
  | "cancelled"
  | "internal";

export interface GatewayErrorDescription {
  /** The HTTP status to answer with. */
  status: number;
  category: GatewayErrorCategory;
  message: string;
  /** A machine-readable code (`context_length_exceeded`, `model_not_found`, ...), when there is one. */
  code?: string;
  /** The request parameter at fault, for validation errors. */
  param?: string;
  /** How long the client should wait before trying again. */
  retryAfterMs?: number;
  /** False when retrying the same request cannot help (quota, upstream credentials, caller's fault). */
  retryable?: boolean;
  /** The story of a failed call across providers. */
  attempts?: GatewayAttemptSummary[];
}

const MAX_MESSAGE_LENGTH = 1000;

export function describeError(error: unknown): GatewayErrorDescription {
  if (isGatewayRequestError(error)) {
    const description: GatewayErrorDescription = {
      status: error.status,
      category: categoryForStatus(error.status),
      message: error.message,
      code: error.code,
    };
    if (!error.retryable) description.retryable = false;
    if (error.param !== undefined) description.param = error.param;
    if (error.retryAfterMs !== undefined) description.retryAfterMs = error.retryAfterMs;
    return description;
  }
  if (isBudgetExceededError(error)) {
    return {
      status: error.status,
      category: categoryForStatus(error.status),
      message: error.message,
      code: error.code,
      retryable: false,
      retryAfterMs: error.retryAfterMs,
    };
  }
  if (isProviderError(error)) return describeProviderError(error);
  if (isAllProvidersUnavailableError(error)) {
    // Some target refused on content policy (only a `contentFilterFallback` model moves on after
    // a refusal): that refusal is the answer, as it would have been from that target alone.
    const refusal = lastRefusalIn(error.attempts);
    if (refusal) return describeProviderError(refusal);
    return describeAllUnavailable(error.attempts, error.retryAfterMs);
  }
  if (isStreamInterruptedError(error)) {
    return {
      status: 502,
      category: "upstream_error",
      code: "stream_interrupted",
      message: `the upstream stream from ${error.targetId} was interrupted after ${error.chunksDelivered} chunk(s)`,
    };
  }
  if (isAttemptTimeoutError(error)) {
    return {
      status: 502,
      category: "upstream_error",
      code: "upstream_timeout",
      message: `the upstream provider ${error.targetId} did not answer within ${error.timeoutMs} ms`,
    };
  }
  if (isFactoryClosedError(error)) {
    return {
      status: 503,
      category: "unavailable",
      code: "shutting_down",
      message: "the gateway is shutting down",
    };
  }
  return { ...INTERNAL_ERROR };
}

const INTERNAL_ERROR: GatewayErrorDescription = {
  status: 500,
  category: "internal",
  code: "internal_error",
  message: "internal error",
};

/**
 * Response headers for a description: `retry-after` (seconds) and `retry-after-ms` when a wait is
 * known, and `x-should-retry: false` when retrying cannot help (the official SDKs honour it).
 */
export function errorHeaders(description: GatewayErrorDescription): Record<string, string> {
  const headers: Record<string, string> = {};
  if (description.retryAfterMs !== undefined) {
    const waitMs = Math.max(0, Math.ceil(description.retryAfterMs));
    headers["retry-after"] = String(Math.ceil(waitMs / 1000));
    headers["retry-after-ms"] = String(waitMs);
  }
  if (description.retryable === false) headers["x-should-retry"] = "false";
  return headers;
}

function categoryForStatus(status: number): GatewayErrorCategory {
  switch (status) {
    case 401:
    case 403:
      return "authentication";
    case 404:
      return "not_found";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limited";
    case 503:
      return "unavailable";
  }
  if (status >= 500) return "internal";
  return "invalid_request";
}

function describeProviderError(error: ProviderError): GatewayErrorDescription {
  const from = error.provider === undefined ? "the upstream provider" : error.provider;
  const detail = redactMessage(error.message, MAX_MESSAGE_LENGTH);
  const upstreamStatus = error.status === undefined ? "" : ` ${error.status}`;
  switch (error.kind) {
    case "invalid_request":
      return { status: 400, category: "invalid_request", message: detail, retryable: false };
    case "context_length":
      return {
        status: 400,
        category: "context_length",
        code: "context_length_exceeded",
        message: detail,
        retryable: false,
      };
    case "content_filter":
      return {
        status: 400,
        category: "content_filter",
        code: "content_filter",
        message: detail,
        retryable: false,
      };
    case "not_found":
      return { status: 404, category: "not_found", code: "model_not_found", message: detail };
    case "rate_limited":
      return withRetryAfter(
        {
          status: 429,
          category: "rate_limited",
          code: "rate_limit_exceeded",
          message: `${from} is rate limiting requests: ${detail}`,
        },
        error.retryAfterMs,
      );
    case "quota_exhausted":
      return {
        status: 502,
        category: "quota_exhausted",
        code: "upstream_quota_exhausted",
        message: `${from} has no quota left; an operator must restore it`,
        retryable: false,
      };
    case "auth":
      return {
        status: 502,
        category: "upstream_error",
        code: "upstream_auth_failed",
        message: `${from} rejected the gateway's credentials${upstreamStatus}; an operator must fix the provider configuration`,
        retryable: false,
      };
    case "cancelled":
      return {
        status: 499,
        category: "cancelled",
        code: "cancelled",
        message: "the request was cancelled",
      };
    case "internal":
      return { ...INTERNAL_ERROR, retryable: false };
    case "timeout":
      return {
        status: 502,
        category: "upstream_error",
        code: "upstream_timeout",
        message: `${from} timed out: ${detail}`,
      };
    default:
      return {
        status: 502,
        category: "upstream_error",
        code: "upstream_error",
        message: `${from} failed${upstreamStatus}: ${detail}`,
      };
  }
}

const RATE_SKIPS: ReadonlySet<SkipReason> = new Set(["cooling_down", "at_capacity"]);

/**
 * 429 when every step was a rate limit or cooldown; 503 when every candidate was merely waiting and
 * at least one circuit was open or one key was resting after its credentials were rejected; 400 when every failure was the caller's fault (by the engine's error
 * policy); 500 when every failure was the gateway's own (`internal`); else 502.
 * The 502 is not retryable: failover is exhausted and the engine has already retried, so an SDK
 * retrying on its own would only multiply the load on every upstream. (429 and 503 carry a
 * `retry-after` instead, which the SDKs honour.)
 */
function describeAllUnavailable(
  records: readonly AttemptRecord[],
  retryAfterMs: number | undefined,
): GatewayErrorDescription {
  const attempts = summarizeAttempts(records);
  const steps = records.filter((record) => record.outcome !== "success");
  const story = attempts.map(describeAttemptSummary).join("; ");
  if (steps.length === 0) {
    return {
      status: 503,
      category: "unavailable",
      code: "no_providers",
      message: "no providers are available for this model",
      attempts,
    };
  }
  // A cooldown after quota exhaustion or rejected credentials is no rate limit: waiting will not help.
  const isRateLike = (record: AttemptRecord): boolean =>
    (record.outcome === "failure" && record.kind === "rate_limited") ||
    (record.outcome === "skipped" &&
      RATE_SKIPS.has(record.reason) &&
      (record.cooldown === undefined || record.cooldown === "rate_limited"));
  // Resting: an open circuit, or a key cooling down after its credentials were rejected. Either
  // way the wait is known, and it says more than a 502.
  const isCircuitOpen = (record: AttemptRecord): boolean =>
    record.outcome === "skipped" &&
    (record.reason === "circuit_open" || record.cooldown === "auth_failed");
  const wait = retryAfterMs ?? shortestWaitMs(records);
  const waitText = wait === undefined ? "" : ` (retry in ${Math.ceil(wait)} ms)`;

  if (steps.every(isRateLike)) {
    return withRetryAfter(
      {
        status: 429,
        category: "rate_limited",
        code: "rate_limit_exceeded",
        message: `all providers are rate limited${waitText}: ${story}`,
        attempts,
      },
      wait,
    );
  }
  if (steps.every((record) => isCircuitOpen(record) || isRateLike(record))) {
    return withRetryAfter(
      {
        status: 503,
        category: "unavailable",
        code: "providers_unavailable",
        message: `all providers are temporarily unavailable${waitText}: ${story}`,
        attempts,
      },
      wait,
    );
  }
  const failures = steps.filter((record) => record.outcome === "failure");
  const last = failures[failures.length - 1];
  if (last !== undefined && failures.every((record) => policyFor(record.kind).callerFault)) {
    const allContext = failures.every((record) => record.kind === "context_length");
    const description: GatewayErrorDescription = {
      status: 400,
      category: allContext ? "context_length" : "invalid_request",
      message: redactMessage(last.message, MAX_MESSAGE_LENGTH),
      retryable: false,
      attempts,
    };
    if (allContext) description.code = "context_length_exceeded";
    else if (failures.every((record) => record.kind === "content_filter")) {
      description.category = "content_filter";
      description.code = "content_filter";
    }
    return description;
  }
  if (last !== undefined && failures.every((record) => record.kind === "internal")) {
    return { ...INTERNAL_ERROR, retryable: false, attempts };
  }
  return {
    status: 502,
    category: "upstream_error",
    code: "all_providers_failed",
    message: `all providers failed: ${story}`,
    retryable: false,
    attempts,
  };
}

function shortestWaitMs(records: readonly AttemptRecord[]): number | undefined {
  let shortest: number | undefined;
  for (const record of records) {
    let waitMs: number | undefined;
    if (record.outcome === "skipped") waitMs = record.availableInMs;
    else if (record.outcome === "failure" && isProviderError(record.error)) {
      waitMs = record.error.retryAfterMs;
    }
    if (waitMs !== undefined && (shortest === undefined || waitMs < shortest)) shortest = waitMs;
  }
  return shortest;
}

function withRetryAfter(
  description: GatewayErrorDescription,
  retryAfterMs: number | undefined,
): GatewayErrorDescription {
  if (retryAfterMs !== undefined) description.retryAfterMs = retryAfterMs;
  return description;
}
