import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import { FactoryClosedError } from "../errors/factory-closed-error.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { type CacheStore, MemoryCacheStore } from "./cache-store.js";
import { Call, type CallOptions, type CallReport, type EngineCore, type Invoker } from "./call.js";
import { CallRouter } from "./call-router.js";
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
  validateFactoryOptions,
  validateRegisterOptions,
} from "./options.js";
import type { Provider } from "./provider.js";
import { ProviderEntry, type ProviderMetrics } from "./provider-entry.js";
import { RetryBudget } from "./retry-budget.js";
import type { RoutingOutcome } from "./run-concurrently.js";
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
  private readonly cacheStore: CacheStore;
  private readonly health: HealthChecker;
  private readonly router: CallRouter<Request, Result, Chunk>;
  private closed = false;
  private readonly unsubscribe: (() => void) | undefined;
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
    this.router = new CallRouter(options, random);
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
    return this.router.route(call, request, this.sorted).then(laneValue);
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
      const outcome = await this.router.route(call, request, this.sorted);
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
      const outcome = await this.router.route(call, request, this.sorted);
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
    this.router.track(call);
    let outcome: RoutingOutcome<Request, Result, Chunk, StreamOpen<Chunk>> & { type: "success" };
    try {
      outcome = await this.router.route(call, request, this.sorted, false);
    } catch (error) {
      this.router.untrack(call);
      throw error;
    }
    return new StreamSession(
      call,
      outcome.entry,
      outcome.lane.permit,
      outcome.lane,
      call.report(outcome.entry.name, outcome.hedged),
      () => this.router.untrack(call),
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
    const drained = this.router.whenDrained();
    if (drained === undefined) return;
    if (options.abortAfterMs === undefined) return drained;
    let timer: unknown;
    const aborted = new Promise<void>((resolve) => {
      timer = this.core.clock.setTimeout(() => {
        this.router.abortAll();
        resolve();
      }, options.abortAfterMs ?? 0);
    });
    await Promise.race([drained, aborted]);
    this.core.clock.clearTimeout(timer);
  }

  private resort(): void {
    this.sorted = [...this.entries.values()].sort(
      (a, b) => a.priority - b.priority || a.order - b.order,
    );
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
