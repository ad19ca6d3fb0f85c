import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import { FactoryClosedError } from "../errors/factory-closed-error.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { type CacheStore, MemoryCacheStore } from "./cache-store.js";
import { Call, type CallOptions, type CallReport, type EngineCore, type Invoker } from "./call.js";
import { type Clock, systemClock } from "./clock.js";
import { EventHub, type FactoryEventName, type FactoryEvents } from "./events.js";
import { HealthChecker } from "./health-checker.js";
import {
  DEFAULT_FACTORY_OPTIONS,
  DEFAULT_RETRY_BUDGET,
  DEFAULT_TARGET_OPTIONS,
  type ProviderFactoryOptions,
  type RegisterOptions,
  type ResolvedTargetOptions,
  resolveTargetOptions,
  type StrategyName,
  validateFactoryOptions,
  validateRegisterOptions,
} from "./options.js";
import { type OrderingState, orderCandidates } from "./order-candidates.js";
import type { Provider } from "./provider.js";
import { ProviderEntry, type ProviderMetrics } from "./provider-entry.js";
import { readyAfterRateLimits, retryAfterMs } from "./rate-limit-wait.js";
import { RetryBudget } from "./retry-budget.js";
import { EXHAUSTED, type RoutingOutcome, runConcurrently } from "./run-concurrently.js";
import { runLane } from "./run-lane.js";
import { selectOrder } from "./select-order.js";
import { openProviderStream, type StreamOpen, StreamSession } from "./stream-session.js";

export type ProviderStatus = "healthy" | "unhealthy" | "open" | "half_open" | "cooling_down";

/** A result with the story of how it was obtained. */
export interface CallOutcome<Result> {
  result: Result;
  report: CallReport;
}

/**
 * Routes each call across registered providers and fails over automatically: priorities and
 * strategies, per-provider circuit breakers, retries with backoff inside a factory-wide retry budget,
 * cooldowns for rate limits and exhausted quotas, one deadline for the whole call, hedging, caching,
 * health checks, metrics and events. It knows nothing about what the providers do.
 */
export class ProviderFactory<Request, Result, Chunk = unknown> {
  private readonly entries = new Map<string, ProviderEntry<Request, Result, Chunk>>();
  private sorted: ProviderEntry<Request, Result, Chunk>[] = [];
  private registrations = 0;
  private readonly defaults: ResolvedTargetOptions;
  private readonly core: EngineCore;
  private readonly events = new EventHub();
  private readonly ordering: OrderingState;
  private readonly strategy: StrategyName;
  private readonly cacheStore: CacheStore;
  private readonly health: HealthChecker;
  /** Calls in flight, in no particular order; each knows its index for O(1) removal. */
  private readonly inFlight: Call<Request, Result, Chunk, unknown>[] = [];
  private closed = false;
  private readonly unsubscribe: (() => void) | undefined;
  private drained: (() => void) | undefined;
  private readonly generateInvoker: Invoker<Request, Result, Chunk, Result> = {
    streaming: false,
    start: (entry, request, context) => entry.provider.generate(request, context),
    discard: () => undefined,
  };
  private readonly streamInvoker: Invoker<Request, Result, Chunk, StreamOpen<Chunk>> = {
    streaming: true,
    start: (entry, request, context) =>
      openProviderStream(entry.provider, entry.name, request, context),
    discard: (open) => {
      void open.iterator.return?.()?.catch(() => undefined);
    },
  };

  constructor(private readonly options: ProviderFactoryOptions = {}) {
    validateFactoryOptions(options);
    const clock: Clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    this.defaults = resolveTargetOptions(DEFAULT_TARGET_OPTIONS, options, "");
    const budget =
      options.retryBudget === false
        ? undefined
        : new RetryBudget({ ...DEFAULT_RETRY_BUDGET, ...options.retryBudget }, clock);
    this.core = {
      clock,
      random,
      events: this.events,
      budget,
      classify: options.classify,
      failOverOn: new Set(options.failOverOn ?? []),
      minAttemptMs: options.minAttemptMs ?? DEFAULT_FACTORY_OPTIONS.minAttemptMs,
      maxRetryAfterWaitMs:
        options.maxRetryAfterWaitMs ?? DEFAULT_FACTORY_OPTIONS.maxRetryAfterWaitMs,
    };
    this.ordering = {
      random,
      explorationRatio: options.explorationRatio ?? DEFAULT_FACTORY_OPTIONS.explorationRatio,
      roundRobin: new Map(),
    };
    this.strategy = options.strategy ?? DEFAULT_FACTORY_OPTIONS.strategy;
    this.cacheStore = options.cacheStore ?? new MemoryCacheStore(1000, () => clock.now());
    this.unsubscribe = options.sharedState?.subscribe((event) =>
      this.entries.get(event.targetId)?.applyShared(event),
    );
    this.health = new HealthChecker(
      () => this.entries.values() as Iterable<ProviderEntry<unknown, unknown, unknown>>,
      clock,
      this.events,
      options.healthCheckIntervalMs ?? DEFAULT_FACTORY_OPTIONS.healthCheckIntervalMs,
      options.healthCheckTimeoutMs ?? DEFAULT_FACTORY_OPTIONS.healthCheckTimeoutMs,
    );
  }

  /** Adds a provider (or replaces one of the same name, starting its state afresh). */
  register(
    name: string,
    provider: Provider<Request, Result, Chunk>,
    options: RegisterOptions = {},
  ): this {
    validateRegisterOptions(name, options);
    if (typeof provider?.generate !== "function") {
      throw new InvalidOptionError(
        `${name} provider`,
        "an object with a generate() method",
        provider,
      );
    }
    const entry = new ProviderEntry(
      {
        name,
        provider,
        options: resolveTargetOptions(this.defaults, options, name),
        priority: options.priority ?? 0,
        weight: options.weight ?? 1,
        cost: options.cost ?? 0,
        metadata: options.metadata ?? {},
        order: this.registrations++,
      },
      this.core.clock,
      this.events,
      this.options.sharedState,
    );
    this.entries.set(name, entry);
    this.resort();
    return this;
  }

  /** Removes a provider. Calls already using it finish; new calls no longer see it. */
  unregister(name: string): boolean {
    const removed = this.entries.delete(name);
    if (removed) this.resort();
    return removed;
  }

  /** The registered target ids, in priority order. */
  get targetIds(): string[] {
    return this.sorted.map((entry) => entry.name);
  }

  generate(request: Request, options: CallOptions<Request> = {}): Promise<Result> {
    // Not async: one promise layer less on every call. Every throw still becomes a rejection.
    if (options.cache && options.cache.ttlMs > 0)
      return this.generateWithReport(request, options).then(resultOf);
    if (this.closed) return Promise.reject(new FactoryClosedError());
    let call: Call<Request, Result, Chunk, Result>;
    try {
      call = new Call(this.core, this.generateInvoker, request, options);
    } catch (error) {
      return Promise.reject(error);
    }
    // Nobody reads the report of a plain `generate`: its success record is not kept.
    call.recordsSuccess = false;
    return this.route(call, request).then(laneValue);
  }

  /** Like `generate`, with the report: who served, every attempt and skip, cache and hedge facts. */
  async generateWithReport(
    request: Request,
    options: CallOptions<Request> = {},
  ): Promise<CallOutcome<Result>> {
    if (this.closed) throw new FactoryClosedError();
    const cache = options.cache;
    if (!cache || !(cache.ttlMs > 0)) {
      const call = new Call(this.core, this.generateInvoker, request, options);
      const outcome = await this.route(call, request);
      return {
        result: outcome.lane.value,
        report: call.report(outcome.entry.name, outcome.hedged),
      };
    }
    const key = cache.key ? cache.key(request) : JSON.stringify(request);
    const now = this.core.clock.now();
    const stored = await this.cacheStore.get(key).catch(() => undefined);
    if (stored && now - stored.storedAtMs < cache.ttlMs) {
      return { result: stored.value as Result, report: cachedReport(false) };
    }
    const call = new Call(this.core, this.generateInvoker, request, options);
    try {
      const outcome = await this.route(call, request);
      const keepMs = cache.ttlMs + (cache.staleIfErrorMs ?? 0);
      const entry = { value: outcome.lane.value, storedAtMs: this.core.clock.now() };
      await this.cacheStore.set(key, entry, keepMs).catch(() => undefined);
      return {
        result: outcome.lane.value,
        report: call.report(outcome.entry.name, outcome.hedged),
      };
    } catch (error) {
      const staleLimitMs = cache.ttlMs + (cache.staleIfErrorMs ?? 0);
      const usable = stored && this.core.clock.now() - stored.storedAtMs < staleLimitMs;
      if (usable && error instanceof AllProvidersUnavailableError) {
        return {
          result: stored.value as Result,
          report: { ...cachedReport(true), attempts: call.records },
        };
      }
      throw error;
    }
  }

  /** Streams chunks, failing over transparently until the first chunk (see `openStream`). */
  async *stream(
    request: Request,
    options: CallOptions<Request> = {},
  ): AsyncGenerator<Chunk, void, undefined> {
    yield* await this.openStream(request, options);
  }

  /**
   * Opens a stream: resolves once a provider has produced its first chunk (failing over before
   * that), or rejects like `generate`. The session tells which provider is streaming before any
   * chunk is read, which a server needs for its response headers.
   */
  async openStream(
    request: Request,
    options: CallOptions<Request> = {},
  ): Promise<StreamSession<Request, Result, Chunk>> {
    if (this.closed) throw new FactoryClosedError();
    const call = new Call(this.core, this.streamInvoker, request, options);
    this.track(call);
    let outcome: RoutingOutcome<Request, Result, Chunk, StreamOpen<Chunk>> & { type: "success" };
    try {
      outcome = await this.route(call, request, false);
    } catch (error) {
      this.untrack(call);
      throw error;
    }
    return new StreamSession(
      call,
      outcome.entry,
      outcome.lane.permit,
      outcome.lane,
      call.report(outcome.entry.name, outcome.hedged),
      () => this.untrack(call),
    );
  }

  getStatus(): Record<string, ProviderStatus> {
    const status: Record<string, ProviderStatus> = {};
    for (const entry of this.sorted) {
      const circuit = entry.breaker.state;
      status[entry.name] =
        circuit !== "closed"
          ? circuit
          : entry.cooldownLeftMs() > 0
            ? "cooling_down"
            : entry.health === "unhealthy"
              ? "unhealthy"
              : "healthy";
    }
    return status;
  }

  getMetrics(): Record<string, ProviderMetrics> {
    const metrics: Record<string, ProviderMetrics> = {};
    for (const entry of this.sorted) metrics[entry.name] = entry.metrics();
    return metrics;
  }

  /** Runs one round of health checks now, then one every `healthCheckIntervalMs`. */
  startHealthChecks(): Promise<void> {
    return this.health.start();
  }

  async stopHealthChecks(): Promise<void> {
    this.health.stop();
  }

  /** Runs one round of health checks now (whether or not periodic checks run). */
  checkHealth(): Promise<void> {
    return this.health.checkAll();
  }

  on<E extends FactoryEventName>(
    event: E,
    listener: (payload: FactoryEvents[E]) => unknown,
  ): () => void {
    return this.events.on(event, listener);
  }

  onFallback(listener: (from: string, to: string, error: unknown) => unknown): () => void {
    return this.events.on("fallback", ({ from, to, error }) => listener(from, to, error));
  }

  onAllFailed(listener: (errors: Readonly<Record<string, unknown>>) => unknown): () => void {
    return this.events.on("allFailed", ({ errors }) => listener(errors));
  }

  /**
   * Stops health checks and refuses new calls; resolves when the calls in flight have finished. With
   * `abortAfterMs`, calls still running after that long are aborted (their providers' signals fire, and
   * calls under a time limit, a deadline, a caller's signal or hedging reject at once) and `close`
   * resolves then, without waiting for providers that ignore their signal.
   */
  async close(options: { abortAfterMs?: number } = {}): Promise<void> {
    this.closed = true;
    this.health.stop();
    this.unsubscribe?.();
    if (this.inFlight.length === 0) return;
    const drained = new Promise<void>((resolve) => {
      this.drained = resolve;
    });
    if (options.abortAfterMs === undefined) return drained;
    let timer: unknown;
    const aborted = new Promise<void>((resolve) => {
      timer = this.core.clock.setTimeout(() => {
        for (const call of [...this.inFlight]) call.cancel(new FactoryClosedError());
        resolve();
      }, options.abortAfterMs ?? 0);
    });
    await Promise.race([drained, aborted]);
    this.core.clock.clearTimeout(timer);
  }

  /** Orders candidates and runs them; resolves with the winner or throws what the call ends with. */
  private async route<Value>(
    call: Call<Request, Result, Chunk, Value>,
    request: Request,
    finish = true,
  ): Promise<RoutingOutcome<Request, Result, Chunk, Value> & { type: "success" }> {
    if (finish) this.track(call);
    try {
      this.core.budget?.recordCall(call.startedAt);
      const candidates = this.candidatesFor(request, call.options);
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
      if (this.events.has("allFailed")) {
        this.events.emit("allFailed", { errors: error.errors, attempts: error.attempts });
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

  private candidatesFor(
    request: Request,
    options: CallOptions<Request>,
  ): readonly ProviderEntry<Request, Result, Chunk>[] {
    let pool: readonly ProviderEntry<Request, Result, Chunk>[] = this.sorted;
    const only = options.targetIds;
    if (only) pool = pool.filter((entry) => only.includes(entry.name));
    const ordered = orderCandidates(pool, options.strategy ?? this.strategy, this.ordering);
    return options.selector ? selectOrder(ordered, options.selector, request) : ordered;
  }

  private resort(): void {
    this.sorted = [...this.entries.values()].sort(
      (a, b) => a.priority - b.priority || a.order - b.order,
    );
  }

  private track(call: Call<Request, Result, Chunk, unknown>): void {
    call.trackedAt = this.inFlight.length;
    this.inFlight.push(call);
  }

  private untrack(call: Call<Request, Result, Chunk, unknown>): void {
    const index = call.trackedAt;
    if (index < 0) return;
    call.trackedAt = -1;
    const last = this.inFlight.pop();
    if (last && last !== call) {
      this.inFlight[index] = last;
      last.trackedAt = index;
    }
    if (this.closed && this.inFlight.length === 0) this.drained?.();
  }
}

function resultOf<Result>(outcome: CallOutcome<Result>): Result {
  return outcome.result;
}

function laneValue<Value>(outcome: { lane: { value: Value } }): Value {
  return outcome.lane.value;
}

function cachedReport(stale: boolean): CallReport {
  return { targetId: undefined, attempts: [], cached: true, stale, hedged: false, latencyMs: 0 };
}
