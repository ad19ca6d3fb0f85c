import { HedgeLostError } from "../errors/hedge-lost-error.js";
import type { Call } from "./call.js";
import type { ProviderEntry } from "./provider-entry.js";
import { releaseSlot } from "./run-attempt.js";
import { type LaneOutcome, runLane } from "./run-lane.js";

export type Success<Value> = LaneOutcome<Value> & { type: "success" };

export type RoutingOutcome<Request, Result, Chunk, Value> =
  | {
      type: "success";
      lane: Success<Value>;
      entry: ProviderEntry<Request, Result, Chunk>;
      hedged: boolean;
    }
  | { type: "stop"; error: unknown }
  | { type: "exhausted" };

export const EXHAUSTED = { type: "exhausted" } as const;

/**
 * Tries candidates several at once, for `hedge` or `race`: the first success wins and the others are
 * aborted; a failed lane is replaced by the next candidate. (The one-at-a-time case is a plain loop
 * in the factory's `route`.)
 */
export function runConcurrently<Request, Result, Chunk, Value>(
  call: Call<Request, Result, Chunk, Value>,
  candidates: readonly ProviderEntry<Request, Result, Chunk>[],
): Promise<RoutingOutcome<Request, Result, Chunk, Value>> {
  const { clock } = call.core;
  const hedge = call.options.hedge;
  const maxExtra = hedge ? (hedge.maxExtra ?? 1) : 0;
  return new Promise((resolve) => {
    let next = 0;
    let running = 0;
    let extras = 0;
    let done = false;
    let timer: unknown;

    const finish = (outcome: RoutingOutcome<Request, Result, Chunk, Value>) => {
      done = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      resolve(outcome);
    };

    const onOutcome = (
      entry: ProviderEntry<Request, Result, Chunk>,
      lane: LaneOutcome<Value>,
      hedged: boolean,
    ) => {
      running -= 1;
      if (done) {
        if (lane.type === "success") abandon(call, entry, lane);
        return;
      }
      if (lane.type === "success") {
        finish({ type: "success", lane, entry, hedged });
        // Decided before the losers are aborted: the slots they free must not go to this call's
        // own lanes still queued (the call settles only ticks later, a stream much later).
        call.decide();
        call.abortAttempts(() => new HedgeLostError(entry.name), lane.context);
        return;
      }
      if (lane.type === "stop") {
        finish(lane);
        call.decide();
        call.abortAttempts(() => lane.error);
        return;
      }
      if (!launch(false) && running === 0) finish(EXHAUSTED);
    };

    const launch = (hedged: boolean): boolean => {
      if (call.cancelled) return false;
      const entry = candidates[next];
      if (!entry) return false;
      next += 1;
      running += 1;
      runLane(call, entry, hedged).then(
        (lane) => onOutcome(entry, lane, hedged),
        (error: unknown) => onOutcome(entry, { type: "stop", error }, hedged),
      );
      return true;
    };

    const armHedge = () => {
      if (!hedge || extras >= maxExtra) return;
      timer = clock.setTimeout(() => {
        timer = undefined;
        if (done) return;
        if (launch(true)) {
          extras += 1;
          armHedge();
        }
      }, hedge.delayMs);
    };

    const width = Math.max(1, call.options.race ?? 1);
    for (let lane = 0; lane < width; lane++) if (!launch(lane > 0)) break;
    if (running === 0) finish(EXHAUSTED);
    else armHedge();
  });
}

/** A lane that succeeded after another had already won: give back what it holds. */
function abandon<Request, Result, Chunk, Value>(
  call: Call<Request, Result, Chunk, Value>,
  entry: ProviderEntry<Request, Result, Chunk>,
  lane: Success<Value>,
): void {
  if (!call.invoker.streaming) return;
  call.invoker.discard(lane.value);
  call.active?.delete(lane.context);
  entry.breaker.release(lane.permit);
  releaseSlot(entry);
}
