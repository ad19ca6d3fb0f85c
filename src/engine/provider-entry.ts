import type { CooldownReason } from "../errors/attempt-record.js";
import type { ErrorKind } from "../errors/error-kind.js";
import { AdaptiveLimit } from "./adaptive-limit.js";
import { CircuitBreaker, type CircuitState } from "./circuit-breaker.js";
import type { Clock } from "./clock.js";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";
import type { EventHub } from "./events.js";
import { LatencyWindow } from "./latency-window.js";
import type { ResolvedTargetOptions } from "./options.js";
import type { Provider } from "./provider.js";
import type { SharedEvent, SharedState, SlotLease } from "./shared-state.js";

export type HealthState = "unknown" | "healthy" | "unhealthy";

/** What `getMetrics()` reports for one provider. */
export interface ProviderMetrics {
  name: string;
  totalRequests: number;
  successfulRequests: number;
  failedRequests: number;
  avgLatencyMs: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  p99LatencyMs: number;
  circuitState: CircuitState;
  health: HealthState;
  lastError: { message: string; kind: ErrorKind; atMs: number } | undefined;
  /** Clock time of the last success (epoch ms with the system clock). */
  lastSuccess: number | undefined;
  inFlight: number;
  /** The concurrency limit in force (adaptive or fixed), or undefined when unlimited. */
  concurrencyLimit: number | undefined;
  /** Clock time until which the provider cools down, or undefined. */
  cooldownUntil: number | undefined;
}

/** What a provider was registered with. */
export interface EntrySettings<Request, Result, Chunk> {
  name: string;
  provider: Provider<Request, Result, Chunk>;
  options: ResolvedTargetOptions;
  priority: number;
  weight: number;
  cost: number;
  metadata: Readonly<Record<string, unknown>>;
  /** Registration order, the tie-breaker within a priority. */
  order: number;
}

/** One registered provider and everything the engine tracks about it. */
export class ProviderEntry<Request, Result, Chunk> {
  readonly name: string;
  readonly provider: Provider<Request, Result, Chunk>;
  readonly options: ResolvedTargetOptions;
  readonly priority: number;
  readonly weight: number;
  readonly cost: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly order: number;
  /** Shared concurrency slots this engine holds for the provider (interchangeable). */
  readonly leases: SlotLease[] = [];
  readonly breaker: CircuitBreaker;
  readonly limiter: ConcurrencyLimiter | undefined;
  readonly adaptive: AdaptiveLimit | undefined;
  readonly latency = new LatencyWindow();
  inFlight = 0;
  totalRequests = 0;
  successfulRequests = 0;
  failedRequests = 0;
  lastError: ProviderMetrics["lastError"];
  lastSuccess: number | undefined;
  cooldownUntil = 0;
  cooldownReason: CooldownReason | undefined;
  health: HealthState = "unknown";
  healthCheckRunning = false;

  constructor(
    settings: EntrySettings<Request, Result, Chunk>,
    private readonly clock: Clock,
    events: EventHub,
    readonly shared: SharedState | undefined,
  ) {
    const { name, options } = settings;
    this.name = name;
    this.provider = settings.provider;
    this.options = options;
    this.priority = settings.priority;
    this.weight = settings.weight;
    this.cost = settings.cost;
    this.metadata = settings.metadata;
    this.order = settings.order;
    this.breaker = new CircuitBreaker(options, clock, (from, to, local) => {
      if (events.has("circuit")) events.emit("circuit", { targetId: name, from, to });
      if (!local || !shared) return;
      if (to === "open") {
        shared.publish({
          type: "circuit-opened",
          targetId: name,
          untilMs: this.breaker.openUntilMs,
        });
      } else if (to === "closed") {
        shared.publish({ type: "circuit-closed", targetId: name });
      }
    });
    if (options.adaptiveConcurrency) {
      this.adaptive = new AdaptiveLimit(options.adaptiveConcurrency);
      this.limiter = new ConcurrencyLimiter(this.adaptive.limit, clock);
    } else if (Number.isFinite(options.maxConcurrency)) {
      this.limiter = new ConcurrencyLimiter(options.maxConcurrency, clock);
    }
  }

  /** Milliseconds left of the current cooldown (0 when none). */
  cooldownLeftMs(): number {
    return this.cooldownUntil === 0 ? 0 : Math.max(0, this.cooldownUntil - this.clock.now());
  }

  /** Cools the provider down; `local` cooldowns are shared, ones heard from elsewhere are not. */
  coolDown(reason: CooldownReason, durationMs: number, local = true): void {
    const until = this.clock.now() + durationMs;
    if (until <= this.cooldownUntil) return;
    this.cooldownUntil = until;
    this.cooldownReason = reason;
    if (local)
      this.shared?.publish({ type: "cooldown", targetId: this.name, reason, untilMs: until });
  }

  /** Applies what the shared state says happened to this target elsewhere. */
  applyShared(event: SharedEvent): void {
    switch (event.type) {
      case "circuit-opened":
        this.breaker.force("open", event.untilMs);
        return;
      case "circuit-closed":
        this.breaker.force("closed");
        return;
      case "cooldown":
        this.coolDown(event.reason, event.untilMs - this.clock.now(), false);
        return;
      case "health":
        this.health = event.healthy ? "healthy" : "unhealthy";
        return;
    }
  }

  metrics(): ProviderMetrics {
    const [p50 = 0, p95 = 0, p99 = 0] = this.latency.percentiles([0.5, 0.95, 0.99]);
    const cooling = this.cooldownLeftMs() > 0;
    return {
      name: this.name,
      totalRequests: this.totalRequests,
      successfulRequests: this.successfulRequests,
      failedRequests: this.failedRequests,
      avgLatencyMs: this.latency.averageMs,
      p50LatencyMs: p50,
      p95LatencyMs: p95,
      p99LatencyMs: p99,
      circuitState: this.breaker.state,
      health: this.health,
      lastError: this.lastError,
      lastSuccess: this.lastSuccess,
      inFlight: this.inFlight,
      concurrencyLimit: this.limiter?.maxConcurrency,
      cooldownUntil: cooling ? this.cooldownUntil : undefined,
    };
  }
}
