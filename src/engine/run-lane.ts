import type { CooldownReason, SkipReason } from "../errors/attempt-record.js";
import { backoffDelayMs } from "./backoff.js";
import type { Call } from "./call.js";
import type { Permit } from "./circuit-breaker.js";
import type { Classification } from "./classify-error.js";
import { policyFor } from "./error-policy.js";
import type { ProviderEntry } from "./provider-entry.js";
import { type AttemptSuccess, runAttempt } from "./run-attempt.js";

/** How a lane (one candidate, with its retries) ended. */
export type LaneOutcome<Value> =
  | AttemptSuccess<Value>
  | { type: "failover" }
  | { type: "stop"; error: unknown };

const FAILOVER = { type: "failover" } as const;

/**
 * Runs one candidate: admission (cooldown, deadline, circuit, concurrency), the attempt, and retries on
 * the same provider while the error's policy, the attempt limit, the deadline and the retry budget all
 * allow. Ends in success, a failover to the next candidate, or a stop that fails the whole call.
 */
export async function runLane<Request, Result, Chunk, Value>(
  call: Call<Request, Result, Chunk, Value>,
  entry: ProviderEntry<Request, Result, Chunk>,
  hedge: boolean,
): Promise<LaneOutcome<Value>> {
  const maxCost = call.options.maxCost;
  if (maxCost !== undefined && entry.cost > maxCost) {
    skip(call, entry, "over_cost", undefined);
    return FAILOVER;
  }
  const retry = entry.options.retry;
  for (let attempt = 1; ; attempt++) {
    if (!call.lanesOpen) return FAILOVER;
    let permit = admit(call, entry);
    if (permit instanceof Promise) {
      permit = await permit;
      // Judged once more just before the attempt: another lane may have won in the meantime.
      if (permit !== undefined && !call.lanesOpen) {
        giveBack(entry, permit);
        return FAILOVER;
      }
    }
    if (permit === undefined) return FAILOVER;

    const result = await runAttempt(call, entry, attempt, hedge, permit);
    if (result.ok) return result;
    if (result.aborted) return FAILOVER;

    const { kind } = result.classification;
    const policy = policyFor(kind);
    if (!policy.failover && !call.core.failOverOn.has(kind)) {
      return { type: "stop", error: result.error };
    }
    if (policy.retry && attempt < retry.maxAttempts && call.lanesOpen) {
      const delayMs = retryDelayMs(call, entry, attempt, result.classification);
      if (delayMs !== undefined) {
        if (call.core.budget && !call.core.budget.tryRetry()) {
          skip(call, entry, "retry_budget", undefined);
        } else {
          try {
            await call.sleep(delayMs);
          } catch {
            return FAILOVER;
          }
          continue;
        }
      }
    }
    call.pendingFallback = { from: entry.name, error: result.error };
    return FAILOVER;
  }
}

/**
 * The wait before retrying the same provider: backoff with full jitter, stretched to the provider's
 * `retryAfterMs` when it named one. Undefined when the wait is too long to be worth it (longer than
 * the backoff cap, or past the deadline): failing over beats waiting.
 */
function retryDelayMs<Request, Result, Chunk, Value>(
  call: Call<Request, Result, Chunk, Value>,
  entry: ProviderEntry<Request, Result, Chunk>,
  attempt: number,
  classification: Classification,
): number | undefined {
  const retry = entry.options.retry;
  const retryAfterMs = classification.retryAfterMs ?? 0;
  if (retryAfterMs > retry.maxDelayMs) return undefined;
  const delayMs = Math.max(retryAfterMs, backoffDelayMs(attempt, retry, call.core.random));
  if (delayMs + call.core.minAttemptMs > call.remainingMs) return undefined;
  return delayMs;
}

/**
 * Admits an attempt, or records why the candidate is skipped and returns undefined. A concurrency slot
 * is taken first (waiting up to `queueTimeoutMs` if the provider is full), then the circuit is asked:
 * after a wait, the circuit and the call are judged as they are now, not as they were before it.
 */
function admit<Request, Result, Chunk, Value>(
  call: Call<Request, Result, Chunk, Value>,
  entry: ProviderEntry<Request, Result, Chunk>,
): Permit | undefined | Promise<Permit | undefined> {
  const cooldownMs = entry.cooldownLeftMs();
  if (cooldownMs > 0) {
    skip(call, entry, "cooling_down", cooldownMs, entry.cooldownReason);
    return undefined;
  }
  if (call.remainingMs < call.core.minAttemptMs) {
    skip(call, entry, "deadline", undefined);
    return undefined;
  }
  const limiter = entry.limiter;
  if (!limiter || limiter.tryAcquire()) return askCircuit(call, entry);
  const waitMs = Math.min(entry.options.queueTimeoutMs, call.remainingMs - call.core.minAttemptMs);
  if (waitMs <= 0 || entry.breaker.state === "open") {
    skip(call, entry, "at_capacity", undefined);
    return undefined;
  }
  return limiter.acquire(waitMs, call.waitSignal()).then((acquired) => {
    if (!acquired) {
      skip(call, entry, "at_capacity", undefined);
      return undefined;
    }
    if (!call.lanesOpen) {
      limiter.release();
      return undefined;
    }
    return askCircuit(call, entry);
  });
}

/**
 * Takes a circuit permit for an attempt that already holds its local concurrency slot (if any), then,
 * with shared state, one of the provider's slots across every instance.
 */
function askCircuit<Request, Result, Chunk, Value>(
  call: Call<Request, Result, Chunk, Value>,
  entry: ProviderEntry<Request, Result, Chunk>,
): Permit | undefined | Promise<Permit | undefined> {
  const permit = entry.breaker.tryAcquire();
  if (!permit) {
    entry.limiter?.release();
    skip(call, entry, "circuit_open", entry.breaker.availableInMs());
    return undefined;
  }
  const acquireSlot = entry.shared?.acquireSlot;
  if (!acquireSlot || !entry.limiter) return permit;
  return acquireSlot.call(entry.shared, entry.name, entry.limiter.maxConcurrency).then((lease) => {
    if (lease === "unavailable") return permit;
    if (lease && call.lanesOpen) {
      entry.leases.push(lease);
      return permit;
    }
    lease?.release();
    entry.limiter?.release();
    entry.breaker.release(permit);
    if (!lease) skip(call, entry, "at_capacity", undefined);
    return undefined;
  });
}

/** Gives back what admission took (circuit permit, local slot, shared lease) for an attempt not started. */
function giveBack<Request, Result, Chunk>(
  entry: ProviderEntry<Request, Result, Chunk>,
  permit: Permit,
): void {
  entry.breaker.release(permit);
  entry.limiter?.release();
  entry.leases.pop()?.release();
}

function skip<Request, Result, Chunk, Value>(
  call: Call<Request, Result, Chunk, Value>,
  entry: ProviderEntry<Request, Result, Chunk>,
  reason: SkipReason,
  availableInMs: number | undefined,
  cooldown?: CooldownReason,
): void {
  call.records.push({
    outcome: "skipped",
    targetId: entry.name,
    startedAfterMs: call.elapsedMs(),
    reason,
    availableInMs,
    ...(cooldown ? { cooldown } : {}),
  });
}
