import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import { FactoryClosedError } from "../errors/factory-closed-error.js";
import type { Call, CallOptions } from "./call.js";
import {
  DEFAULT_FACTORY_OPTIONS,
  type ProviderFactoryOptions,
  type StrategyName,
} from "./options.js";
import { type OrderingState, orderCandidates } from "./order-candidates.js";
import type { ProviderEntry } from "./provider-entry.js";
import { readyAfterRateLimits, retryAfterMs } from "./rate-limit-wait.js";
import { EXHAUSTED, type RoutingOutcome, runConcurrently } from "./run-concurrently.js";
import { runLane } from "./run-lane.js";
import { selectOrder } from "./select-order.js";

/**
 * Runs each call over the providers its options pick, in the order its strategy gives, and keeps
 * the calls in flight so that closing the factory can wait for them or abort them.
 */
export class CallRouter<Request, Result, Chunk> {
  private readonly ordering: OrderingState;
  private readonly strategy: StrategyName;
  /** Calls in flight, in no particular order; each knows its index for O(1) removal. */
  private readonly inFlight: Call<Request, Result, Chunk, unknown>[] = [];
  private drained: (() => void) | undefined;

  constructor(options: ProviderFactoryOptions, random: () => number) {
    this.ordering = {
      random,
      explorationRatio: options.explorationRatio ?? DEFAULT_FACTORY_OPTIONS.explorationRatio,
      roundRobin: new Map(),
    };
    this.strategy = options.strategy ?? DEFAULT_FACTORY_OPTIONS.strategy;
  }

  /**
   * Orders candidates from `pool` (the registered providers, in priority order) and runs them;
   * resolves with the winner or throws what the call ends with. With `finish` false the caller
   * tracks the call and, on success, finishes it (a stream, once read to its end).
   */
  async route<Value>(
    call: Call<Request, Result, Chunk, Value>,
    request: Request,
    pool: readonly ProviderEntry<Request, Result, Chunk>[],
    finish = true,
  ): Promise<RoutingOutcome<Request, Result, Chunk, Value> & { type: "success" }> {
    if (finish) this.track(call);
    try {
      call.core.budget?.recordCall(call.startedAt);
      const candidates = this.candidatesFor(pool, request, call.options);
      let round = candidates;
      let outcome: RoutingOutcome<Request, Result, Chunk, Value> = EXHAUSTED;
      // At most two rounds: everyone, then (after a short wait) the providers a rate limit let go.
      for (let pass = 0; pass < 2 && round.length > 0; pass++) {
        if (call.concurrent) {
          outcome = await runConcurrently(call, round);
        } else {
          // The sequential case inline: one async layer less on every call.
          for (const entry of round) {
            const lane = await runLane(call, entry, false);
            if (lane.type !== "failover") {
              outcome =
                lane.type === "success" ? { type: "success", lane, entry, hedged: false } : lane;
              break;
            }
            if (call.cancelled) break;
          }
        }
        if (outcome.type !== "exhausted" || call.cancelled || pass > 0) break;
        round = await readyAfterRateLimits(call, candidates);
      }
      if (call.cancelled) throw call.cancelReason;
      if (outcome.type === "success") return outcome;
      if (outcome.type === "stop") throw outcome.error;
      const error = new AllProvidersUnavailableError(call.records, retryAfterMs(candidates));
      const events = call.core.events;
      if (events.has("allFailed")) {
        events.emit("allFailed", { errors: error.errors, attempts: error.attempts });
      }
      throw error;
    } catch (error) {
      call.finish();
      call.keepCancelledReport(error);
      throw error;
    } finally {
      if (finish) {
        call.finish();
        this.untrack(call);
      }
    }
  }

  track(call: Call<Request, Result, Chunk, unknown>): void {
    call.trackedAt = this.inFlight.length;
    this.inFlight.push(call);
  }

  untrack(call: Call<Request, Result, Chunk, unknown>): void {
    const index = call.trackedAt;
    if (index < 0) return;
    call.trackedAt = -1;
    const last = this.inFlight.pop();
    if (last && last !== call) {
      this.inFlight[index] = last;
      last.trackedAt = index;
    }
    if (this.drained && this.inFlight.length === 0) this.drained();
  }

  /** Resolves once no call is in flight; undefined when none is in flight now. */
  whenDrained(): Promise<void> | undefined {
    if (this.inFlight.length === 0) return undefined;
    return new Promise<void>((resolve) => {
      this.drained = resolve;
    });
  }

  /** Cancels every call in flight with a `FactoryClosedError`. */
  abortAll(): void {
    for (const call of [...this.inFlight]) call.cancel(new FactoryClosedError());
  }

  private candidatesFor(
    pool: readonly ProviderEntry<Request, Result, Chunk>[],
    request: Request,
    options: CallOptions<Request>,
  ): readonly ProviderEntry<Request, Result, Chunk>[] {
    const only = options.targetIds;
    const picked = only ? pool.filter((entry) => only.includes(entry.name)) : pool;
    const ordered = orderCandidates(picked, options.strategy ?? this.strategy, this.ordering);
    return options.selector ? selectOrder(ordered, options.selector, request) : ordered;
  }
}
