import { InvalidOptionError } from "../errors/invalid-option-error.js";
import type { AdaptiveConcurrencyOptions } from "./adaptive-limit.js";
import type { RetryOptions } from "./backoff.js";
import type { CacheStore } from "./cache-store.js";
import type { CircuitBreakerOptions } from "./circuit-breaker.js";
import type { ClassifyFn } from "./classify-error.js";
import type { Clock } from "./clock.js";
import type { RetryBudgetOptions } from "./retry-budget.js";
import type { SharedState } from "./shared-state.js";

export type StrategyName =
  | "priority"
  | "weighted"
  | "round-robin"
  | "least-latency"
  | "least-cost"
  | "least-busy";

export const STRATEGIES: readonly StrategyName[] = [
  "priority",
  "weighted",
  "round-robin",
  "least-latency",
  "least-cost",
  "least-busy",
];

/** Options that can be set for the whole factory and overridden per provider. */
export interface TargetOptions extends Partial<CircuitBreakerOptions> {
  retry?: Partial<RetryOptions>;
  /** Per-attempt time limit. Default: none (the call's `deadlineMs` still applies). */
  timeoutMs?: number;
  /** In-flight calls allowed at once. Default: unlimited. */
  maxConcurrency?: number;
  /** How long a call waits for a free slot of a full provider before skipping it. Default 0. */
  queueTimeoutMs?: number;
  /** Cooldown after a rate limit that named no wait. Default 1000. */
  rateLimitCooldownMs?: number;
  /** Cooldown after quota or billing exhaustion. Default 3_600_000 (1 h). */
  quotaCooldownMs?: number;
  /** Cooldown after the provider rejected its credentials (401/403). Default 600_000 (10 min). */
  authCooldownMs?: number;
  /** Opt-in AIMD concurrency limit (see `AdaptiveLimit`), within `maxLimit`. Default: off. */
  adaptiveConcurrency?: AdaptiveConcurrencyOptions;
}

export interface ProviderFactoryOptions extends TargetOptions {
  healthCheckIntervalMs?: number;
  healthCheckTimeoutMs?: number;
  /** Retries allowed across the whole factory, or `false` for no cap. */
  retryBudget?: Partial<RetryBudgetOptions> | false;
  /** Longest a call waits for a rate-limited provider when nothing else is left. Default 2000. */
  maxRetryAfterWaitMs?: number;
  /** No attempt starts with less than this left of the call's deadline. Default 5. */
  minAttemptMs?: number;
  /** Default ordering strategy. Default `priority`. */
  strategy?: StrategyName;
  /** Share of `least-latency` calls that try a random provider first, so recovered ones get measured. */
  explorationRatio?: number;
  /** Overrides the default error classification. */
  classify?: ClassifyFn;
  /** Where `cache` call options keep results. Default: an in-memory LRU of 1000 entries. */
  cacheStore?: CacheStore;
  /** State shared with other engines (other gateway instances), e.g. in Redis. Default: none. */
  sharedState?: SharedState;
  /** Injected time (tests use a fake clock). */
  clock?: Clock;
  /** Injected randomness in [0, 1). */
  random?: () => number;
}

export interface RegisterOptions extends TargetOptions {
  /** Lower is tried first. Default 0. */
  priority?: number;
  /** Share of traffic under the `weighted` strategy. Default 1. */
  weight?: number;
  /** Cost of one call (any unit you like), for `least-cost` and `maxCost`. Default 0. */
  cost?: number;
  /** Free-form facts about the provider, handed to selectors (e.g. the upstream model). */
  metadata?: Readonly<Record<string, unknown>>;
}

export interface ResolvedTargetOptions extends CircuitBreakerOptions {
  retry: RetryOptions;
  timeoutMs: number;
  maxConcurrency: number;
  queueTimeoutMs: number;
  rateLimitCooldownMs: number;
  quotaCooldownMs: number;
  authCooldownMs: number;
  adaptiveConcurrency: AdaptiveConcurrencyOptions | undefined;
}

export const DEFAULT_TARGET_OPTIONS: ResolvedTargetOptions = {
  failureThreshold: 5,
  recoveryTimeoutMs: 60_000,
  maxRecoveryTimeoutMs: 600_000,
  halfOpenRequests: 2,
  failureRateThreshold: undefined,
  failureRateWindowMs: 60_000,
  minimumCalls: 10,
  slowCallMs: undefined,
  retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 2_000 },
  timeoutMs: Number.POSITIVE_INFINITY,
  maxConcurrency: Number.POSITIVE_INFINITY,
  queueTimeoutMs: 0,
  rateLimitCooldownMs: 1_000,
  quotaCooldownMs: 3_600_000,
  authCooldownMs: 600_000,
  adaptiveConcurrency: undefined,
};

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = {
  ratio: 0.2,
  windowMs: 10_000,
  minPerSecond: 3,
};

/** Layers target options: later layers win, `undefined` leaves the earlier value. */
export function resolveTargetOptions(
  base: ResolvedTargetOptions,
  override: TargetOptions | undefined,
  where: string,
): ResolvedTargetOptions {
  if (!override) return base;
  validateTargetOptions(override, where);
  const merged: ResolvedTargetOptions = { ...base, retry: { ...base.retry } };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined || key === "retry") continue;
    if (key in DEFAULT_TARGET_OPTIONS) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  if (override.retry) {
    for (const [key, value] of Object.entries(override.retry)) {
      if (value !== undefined) (merged.retry as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return merged;
}

export function validateTargetOptions(options: TargetOptions, where: string): void {
  const at = (name: string) => (where ? `${where}.${name}` : name);
  integer(at("failureThreshold"), options.failureThreshold, 1);
  duration(at("recoveryTimeoutMs"), options.recoveryTimeoutMs);
  duration(at("maxRecoveryTimeoutMs"), options.maxRecoveryTimeoutMs);
  integer(at("halfOpenRequests"), options.halfOpenRequests, 1);
  ratio(at("failureRateThreshold"), options.failureRateThreshold);
  duration(at("failureRateWindowMs"), options.failureRateWindowMs);
  integer(at("minimumCalls"), options.minimumCalls, 1);
  duration(at("slowCallMs"), options.slowCallMs);
  duration(at("timeoutMs"), options.timeoutMs);
  integer(at("maxConcurrency"), options.maxConcurrency, 1);
  duration(at("queueTimeoutMs"), options.queueTimeoutMs);
  duration(at("rateLimitCooldownMs"), options.rateLimitCooldownMs);
  duration(at("quotaCooldownMs"), options.quotaCooldownMs);
  duration(at("authCooldownMs"), options.authCooldownMs);
  const adaptive = options.adaptiveConcurrency;
  if (adaptive) {
    integer(at("adaptiveConcurrency.maxLimit"), adaptive.maxLimit, 1);
    integer(at("adaptiveConcurrency.minLimit"), adaptive.minLimit, 1);
    integer(at("adaptiveConcurrency.initialLimit"), adaptive.initialLimit, 1);
    ratio(at("adaptiveConcurrency.backoffRatio"), adaptive.backoffRatio);
    number(at("adaptiveConcurrency.latencyTolerance"), adaptive.latencyTolerance, 1);
  }
  if (options.retry) {
    integer(at("retry.maxAttempts"), options.retry.maxAttempts, 1);
    duration(at("retry.baseDelayMs"), options.retry.baseDelayMs);
    duration(at("retry.maxDelayMs"), options.retry.maxDelayMs);
  }
}

export function validateFactoryOptions(options: ProviderFactoryOptions): void {
  validateTargetOptions(options, "");
  duration("healthCheckIntervalMs", options.healthCheckIntervalMs, 1);
  duration("healthCheckTimeoutMs", options.healthCheckTimeoutMs, 1);
  duration("maxRetryAfterWaitMs", options.maxRetryAfterWaitMs);
  duration("minAttemptMs", options.minAttemptMs);
  ratio("explorationRatio", options.explorationRatio);
  if (options.strategy !== undefined && !STRATEGIES.includes(options.strategy)) {
    throw new InvalidOptionError("strategy", `one of ${STRATEGIES.join(", ")}`, options.strategy);
  }
  if (options.retryBudget) {
    ratio("retryBudget.ratio", options.retryBudget.ratio);
    duration("retryBudget.windowMs", options.retryBudget.windowMs, 1);
    number("retryBudget.minPerSecond", options.retryBudget.minPerSecond, 0);
  }
}

export function validateRegisterOptions(name: string, options: RegisterOptions): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new InvalidOptionError("name", "a non-empty string", name);
  }
  validateTargetOptions(options, name);
  number(`${name}.priority`, options.priority, Number.NEGATIVE_INFINITY);
  number(`${name}.weight`, options.weight, 0);
  number(`${name}.cost`, options.cost, 0);
}

function number(name: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || Number.isNaN(value) || value < min) {
    throw new InvalidOptionError(name, `a number >= ${min}`, value);
  }
}

function integer(name: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(name, `an integer >= ${min}`, value);
  }
}

function duration(name: string, value: number | undefined, min = 0): void {
  if (value === undefined) return;
  if (typeof value !== "number" || Number.isNaN(value) || value < min) {
    throw new InvalidOptionError(name, `a duration in milliseconds >= ${min}`, value);
  }
}

function ratio(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new InvalidOptionError(name, "a ratio between 0 and 1", value);
  }
}
