import type { AttemptRecord } from "../errors/attempt-record.js";
import type { ErrorKind } from "../errors/error-kind.js";
import type { AttemptContext } from "./attempt-context.js";
import type { CacheOptions } from "./cache-store.js";
import type { ClassifyFn } from "./classify-error.js";
import type { Clock, TimerHandle } from "./clock.js";
import type { EventHub } from "./events.js";
import type { StrategyName } from "./options.js";
import type { ProviderContext } from "./provider.js";
import type { ProviderEntry, ProviderMetrics } from "./provider-entry.js";
import type { RetryBudget } from "./retry-budget.js";

/** A provider as a selector sees it. */
export interface CandidateInfo {
  name: string;
  priority: number;
  weight: number;
  cost: number;
  metadata: Readonly<Record<string, unknown>>;
  metrics: ProviderMetrics;
}

/** Picks the preferred provider(s); those named go first in that order, the rest stay as fallbacks. */
export type Selector<Request> = (
  candidates: readonly CandidateInfo[],
  request: Request,
) => string | readonly string[] | undefined;

export interface HedgeOptions {
  /** Start the next candidate when no answer came within this long. */
  delayMs: number;
  /** Extra attempts a call may start this way. Default 1. */
  maxExtra?: number;
}

export interface CallOptions<Request> {
  selector?: Selector<Request>;
  strategy?: StrategyName;
  /** Aborts every attempt in flight; the call rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** One time budget for the whole call, every attempt, backoff and hedge included. */
  deadlineMs?: number;
  /** `false` (or leaving it out): no hedging. */
  hedge?: HedgeOptions | false;
  /** Start this many candidates at once; the first success wins. */
  race?: number;
  /** `false`, or a `ttlMs` of 0: no caching. */
  cache?: CacheOptions<Request> | false;
  /** Skip providers whose `cost` is above this. */
  maxCost?: number;
  /** Only the providers registered under these target ids are candidates for this call. */
  targetIds?: readonly string[];
}

/** The story of one call, available in-process. */
export interface CallReport {
  /** The target id of the provider that served; undefined when the result came from the cache or nobody served. */
  targetId: string | undefined;
  attempts: AttemptRecord[];
  cached: boolean;
  stale: boolean;
  /** A hedged or raced attempt won. */
  hedged: boolean;
  latencyMs: number;
}

/** The parts of the factory a call needs. */
export interface EngineCore {
  readonly clock: Clock;
  readonly random: () => number;
  readonly events: EventHub;
  readonly budget: RetryBudget | undefined;
  readonly classify: ClassifyFn | undefined;
  /** Kinds that fail over although their policy stops the call (`failOverOn`). */
  readonly failOverOn: ReadonlySet<ErrorKind>;
  readonly minAttemptMs: number;
  readonly maxRetryAfterWaitMs: number;
}

/** How a call talks to a provider: a one-shot `generate`, or opening a stream up to its first chunk. */
export interface Invoker<Request, Result, Chunk, Value> {
  readonly streaming: boolean;
  start(
    entry: ProviderEntry<Request, Result, Chunk>,
    request: Request,
    context: ProviderContext,
  ): Promise<Value>;
  /** Releases a value nobody will use (a stream opened by an attempt that lost). */
  discard(value: Value): void;
}

const NO_MORE_ATTEMPTS = new Error("the call starts no more attempts");

/** Reports of cancelled calls, by the reason they were cancelled with (what the call rejected with). */
const cancelledReports = new WeakMap<object, CallReport>();

/**
 * The report of a call that was cancelled with `reason` (the attempts it had made by then). A
 * cancelled call rejects with the caller's `signal.reason` itself, which cannot carry them.
 */
export function reportOfCancelledCall(reason: unknown): CallReport | undefined {
  return typeof reason === "object" && reason !== null ? cancelledReports.get(reason) : undefined;
}

interface Sleeper {
  timer: TimerHandle;
  reject: (reason: unknown) => void;
}

/** Per-call state: the deadline, the record of attempts, and cancellation of whatever is in flight. */
export class Call<Request, Result, Chunk, Value> {
  readonly startedAt: number;
  readonly deadlineAt: number;
  readonly records: AttemptRecord[] = [];
  /** Attempts whose race can be cut short; tracked only when something may cut them short. */
  readonly active: Set<AttemptContext> | undefined;
  /** Several candidates may run at once (`hedge` or `race`). */
  readonly concurrent: boolean;
  /** The latest attempt of a call whose attempts are not raced, so cancelling can still signal it. */
  current: AttemptContext | undefined;
  settled = false;
  /**
   * The lanes' race is over (one won, or an error stops the call): lanes still queued for a slot or
   * backing off start nothing more. Set before the call settles, which may be ticks later (or, for a
   * stream, when the stream ends).
   */
  decided = false;
  /** Position in the factory's list of calls in flight (-1 when not tracked). */
  trackedAt = -1;
  cancelReason: unknown;
  cancelled = false;
  pendingFallback: { from: string; error: unknown } | undefined;
  /** Whether a success goes into `records`; false when nobody will read the call's report. */
  recordsSuccess = true;
  private sleepers: Set<Sleeper> | undefined;
  private waitController: AbortController | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    readonly core: EngineCore,
    readonly invoker: Invoker<Request, Result, Chunk, Value>,
    readonly request: Request,
    readonly options: CallOptions<Request>,
  ) {
    this.startedAt = core.clock.now();
    this.deadlineAt =
      options.deadlineMs === undefined
        ? Number.POSITIVE_INFINITY
        : this.startedAt + options.deadlineMs;
    const signal = options.signal;
    const concurrent = Boolean(options.hedge) || (options.race ?? 1) > 1;
    this.concurrent = concurrent;
    this.active = signal || concurrent || invoker.streaming ? new Set() : undefined;
    if (signal) {
      if (signal.aborted) throw signal.reason;
      this.onCallerAbort = () => this.cancel(signal.reason);
      signal.addEventListener("abort", this.onCallerAbort, { once: true });
    }
  }

  /** Whether a lane may still start an attempt: the call is neither decided nor cancelled. */
  get lanesOpen(): boolean {
    return !this.decided && !this.cancelled;
  }

  get remainingMs(): number {
    if (this.deadlineAt === Number.POSITIVE_INFINITY) return this.deadlineAt;
    return this.deadlineAt - this.core.clock.now();
  }

  /** Whether attempts must be raced against aborts (a timeout, the caller's signal, a hedge). */
  get abortable(): boolean {
    return this.active !== undefined;
  }

  elapsedMs(): number {
    return this.core.clock.now() - this.startedAt;
  }

  /** Aborts everything in flight with `reason` (the caller's signal, or the factory closing). */
  cancel(reason: unknown): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.cancelReason = reason;
    for (const context of this.active ?? []) context.abort(reason);
    this.current?.abort(reason);
    this.waitController?.abort(reason);
    for (const sleeper of this.sleepers ?? []) {
      this.core.clock.clearTimeout(sleeper.timer);
      sleeper.reject(reason);
    }
    this.sleepers?.clear();
  }

  /** Waits on the clock; rejects at once if the call is cancelled. */
  sleep(delayMs: number): Promise<void> {
    if (this.cancelled) return Promise.reject(this.cancelReason);
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        reject,
        timer: this.core.clock.setTimeout(() => {
          this.sleepers?.delete(sleeper);
          resolve();
        }, delayMs),
      };
      if (!this.sleepers) this.sleepers = new Set();
      this.sleepers.add(sleeper);
    });
  }

  /**
   * Aborts the attempts still in flight (hedges that lost, lanes of a call that failed), bar one.
   * `reason` is made only if there is something to abort.
   */
  abortAttempts(reason: () => unknown, except?: AttemptContext): void {
    let made: unknown;
    for (const context of this.active ?? []) {
      if (context === except) continue;
      made ??= reason();
      context.abort(made);
    }
  }

  /** A signal for waits of this call (a queue for a slot): fires when it is cancelled or decided. */
  waitSignal(): AbortSignal {
    if (!this.waitController) {
      this.waitController = new AbortController();
      if (this.cancelled) this.waitController.abort(this.cancelReason);
      else if (this.decided) this.waitController.abort(NO_MORE_ATTEMPTS);
    }
    return this.waitController.signal;
  }

  /** Keeps the report of a cancelled call for `reportOfCancelledCall(error)`, when `error` is why. */
  keepCancelledReport(error: unknown): void {
    if (this.cancelled && error === this.cancelReason && typeof error === "object" && error) {
      cancelledReports.set(error, this.report(undefined, false));
    }
  }

  /**
   * Ends the lanes' race: lanes queued for a slot leave the queue and lanes backing off wake, so
   * none starts an attempt for a call that another lane has already won (or that an error stops).
   */
  decide(): void {
    if (this.decided) return;
    this.decided = true;
    this.waitController?.abort(NO_MORE_ATTEMPTS);
    for (const sleeper of this.sleepers ?? []) {
      this.core.clock.clearTimeout(sleeper.timer);
      sleeper.reject(NO_MORE_ATTEMPTS);
    }
    this.sleepers?.clear();
  }

  /** Marks the call settled: decides it (see `decide`) and stops listening to the caller. */
  finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.decide();
    if (this.onCallerAbort) this.options.signal?.removeEventListener("abort", this.onCallerAbort);
  }

  report(targetId: string | undefined, hedged: boolean): CallReport {
    return {
      targetId,
      attempts: this.records,
      cached: false,
      stale: false,
      hedged,
      latencyMs: this.elapsedMs(),
    };
  }
}
