import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import { AttemptContext } from "./attempt-context.js";
import type { Call } from "./call.js";
import type { Permit } from "./circuit-breaker.js";
import { type Classification, classifyWith } from "./classify-error.js";
import { cooldownMs } from "./cooldown-ms.js";
import { policyFor } from "./error-policy.js";
import type { ProviderEntry } from "./provider-entry.js";

/** A successful attempt; also its lane's outcome (one object per call on the happy path). */
export interface AttemptSuccess<Value> {
  ok: true;
  type: "success";
  value: Value;
  context: AttemptContext;
  startedAt: number;
  latencyMs: number;
  permit: Permit;
}

export type AttemptResult<Value> =
  | AttemptSuccess<Value>
  | { ok: false; aborted: true }
  | { ok: false; aborted: false; error: unknown; classification: Classification };

type AnyCall<Request, Result, Chunk, Value> = Call<Request, Result, Chunk, Value>;
type Entry<Request, Result, Chunk> = ProviderEntry<Request, Result, Chunk>;

/**
 * One attempt on one provider: run it under the attempt's time limit and the call's cancellation,
 * then account for the outcome (metrics, breaker, cooldown, events, the call's record). The
 * provider's concurrency slot is given back when its work really settles, even after an abort, so
 * a provider that ignores its signal can never be driven past its `maxConcurrency`.
 *
 * On success in streaming mode the attempt stays open: the caller settles it with `settleStream`.
 */
export async function runAttempt<Request, Result, Chunk, Value>(
  call: AnyCall<Request, Result, Chunk, Value>,
  entry: Entry<Request, Result, Chunk>,
  attempt: number,
  hedge: boolean,
  permit: Permit,
): Promise<AttemptResult<Value>> {
  const { clock, events } = call.core;
  const context = new AttemptContext(entry.name, attempt);
  const startedAt = clock.now();
  entry.inFlight += 1;
  entry.totalRequests += 1;
  if (events.has("attempt")) events.emit("attempt", { targetId: entry.name, attempt, hedge });
  const fallback = call.pendingFallback;
  if (fallback && attempt === 1) {
    call.pendingFallback = undefined;
    if (events.has("fallback")) {
      events.emit("fallback", { from: fallback.from, to: entry.name, error: fallback.error });
    }
  }

  let work: Promise<Value>;
  try {
    work = call.invoker.start(entry, call.request, context);
  } catch (error) {
    work = Promise.reject(error);
  }

  const timeoutMs = Math.min(entry.options.timeoutMs, call.remainingMs);
  let value: Value;
  try {
    if (timeoutMs === Number.POSITIVE_INFINITY && !call.abortable) {
      call.current = context;
      value = await work;
    } else {
      value = await raceAttempt(call, entry, context, work, timeoutMs);
    }
  } catch (error) {
    work.then(
      () => releaseSlot(entry),
      () => releaseSlot(entry),
    );
    const latencyMs = clock.now() - startedAt;
    if (context.aborted && !(context.abortReason instanceof AttemptTimeoutError)) {
      entry.breaker.release(permit);
      call.records.push({
        outcome: "aborted",
        targetId: entry.name,
        attempt,
        startedAfterMs: startedAt - call.startedAt,
        latencyMs,
        hedge,
        message: describe(context.abortReason),
      });
      return { ok: false, aborted: true };
    }
    const classification = recordFailure(call, entry, permit, error, startedAt, attempt, hedge);
    return { ok: false, aborted: false, error, classification };
  }

  const endedAt = clock.now();
  const latencyMs = endedAt - startedAt;
  entry.latency.record(latencyMs);
  if (call.recordsSuccess) {
    call.records.push({
      outcome: "success",
      targetId: entry.name,
      attempt,
      startedAfterMs: startedAt - call.startedAt,
      latencyMs,
      hedge,
    });
  }
  if (!call.invoker.streaming) {
    releaseSlot(entry);
    recordSuccess(call, entry, permit, attempt, latencyMs, endedAt);
  }
  return { ok: true, type: "success", value, context, startedAt, latencyMs, permit };
}

function raceAttempt<Request, Result, Chunk, Value>(
  call: AnyCall<Request, Result, Chunk, Value>,
  entry: Entry<Request, Result, Chunk>,
  context: AttemptContext,
  work: Promise<Value>,
  timeoutMs: number,
): Promise<Value> {
  const { clock } = call.core;
  if (call.active) call.active.add(context);
  else call.current = context;
  if (call.cancelled) context.abort(call.cancelReason);
  if (timeoutMs !== Number.POSITIVE_INFINITY) {
    const limitMs = Math.max(0, timeoutMs);
    context.timer = clock.setTimeout(
      () => context.abort(new AttemptTimeoutError(entry.name, Math.round(limitMs))),
      limitMs,
    );
  }
  return context.race(work).finally(() => {
    // The attempt's own time limit covers its first answer; a stream's rest runs under the deadline.
    if (context.timer !== undefined) clock.clearTimeout(context.timer);
    context.timer = undefined;
    if (!call.invoker.streaming) call.active?.delete(context);
  });
}

export function releaseSlot<Request, Result, Chunk>(entry: Entry<Request, Result, Chunk>): void {
  entry.inFlight -= 1;
  entry.limiter?.release();
  entry.leases.pop()?.release();
}

export function recordSuccess<Request, Result, Chunk, Value>(
  call: AnyCall<Request, Result, Chunk, Value>,
  entry: Entry<Request, Result, Chunk>,
  permit: Permit,
  attempt: number,
  latencyMs: number,
  endedAt = call.core.clock.now(),
): void {
  const { events } = call.core;
  entry.successfulRequests += 1;
  entry.lastSuccess = endedAt;
  entry.breaker.success(permit, latencyMs);
  if (entry.adaptive) entry.limiter?.setLimit(entry.adaptive.onSuccess(latencyMs, entry.inFlight));
  entry.shared?.publish({ type: "success", targetId: entry.name });
  if (events.has("success")) events.emit("success", { targetId: entry.name, attempt, latencyMs });
}

/** Accounts for a failed attempt and returns its classification. */
export function recordFailure<Request, Result, Chunk, Value>(
  call: AnyCall<Request, Result, Chunk, Value>,
  entry: Entry<Request, Result, Chunk>,
  permit: Permit,
  error: unknown,
  startedAt: number,
  attempt: number,
  hedge: boolean,
): Classification {
  const { clock, events } = call.core;
  const classification = classifyWith(call.core.classify, error, entry.name);
  const latencyMs = clock.now() - startedAt;
  const message = describe(error);
  const policy = policyFor(classification.kind);
  entry.failedRequests += 1;
  entry.lastError = { message, kind: classification.kind, atMs: clock.now() };
  if (policy.breakerFailure) {
    entry.shared?.publish({
      type: "failure",
      targetId: entry.name,
      failureThreshold: entry.options.failureThreshold,
      openMs: entry.breaker.currentOpenMs,
    });
    entry.breaker.failure(permit, entry.shared?.available !== true);
  } else {
    entry.breaker.release(permit);
  }
  if (entry.adaptive && classification.kind === "rate_limited") {
    entry.limiter?.setLimit(entry.adaptive.onPushback());
  }
  if (policy.cooldown) {
    const reason = policy.cooldown;
    const durationMs = cooldownMs(reason, classification.retryAfterMs, entry.options);
    entry.coolDown(reason, durationMs);
    if (events.has("cooldown"))
      events.emit("cooldown", { targetId: entry.name, reason, durationMs });
  }
  if (events.has("failure")) {
    events.emit("failure", {
      targetId: entry.name,
      attempt,
      kind: classification.kind,
      error,
      latencyMs,
    });
  }
  call.records.push({
    outcome: "failure",
    targetId: entry.name,
    attempt,
    startedAfterMs: startedAt - call.startedAt,
    latencyMs,
    hedge,
    kind: classification.kind,
    status: classification.status,
    message,
    error,
  });
  return classification;
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
