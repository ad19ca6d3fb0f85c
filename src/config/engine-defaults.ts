/**
 * The engine options a config sets, their defaults, and what each level may override. The breaker,
 * retry, budget and cooldown defaults are the engine's own; the gateway adds its own defaults only
 * where a server needs them (a per-attempt timeout and a whole-call deadline).
 */
import type { AdaptiveConcurrencyOptions } from "../engine/adaptive-limit.js";
import type { RetryOptions } from "../engine/backoff.js";
import type { HedgeOptions as EngineHedgeOptions } from "../engine/call.js";
import {
  DEFAULT_RETRY_BUDGET,
  DEFAULT_TARGET_OPTIONS,
  STRATEGIES,
  type StrategyName,
} from "../engine/options.js";
import type { RetryBudgetOptions } from "../engine/retry-budget.js";

export { STRATEGIES };
export type Strategy = StrategyName;
export type { RetryBudgetOptions, RetryOptions };

export type HedgeOptions = Required<EngineHedgeOptions>;

export interface CacheOptions {
  ttlMs: number;
  staleIfErrorMs: number;
}

export const RETRY_DEFAULTS: RetryOptions = DEFAULT_TARGET_OPTIONS.retry;
export const RETRY_BUDGET_DEFAULTS: RetryBudgetOptions = DEFAULT_RETRY_BUDGET;
/** The values an enabled `hedge:` takes for what it leaves out. Hedging itself is off by default. */
export const HEDGE_DEFAULTS: HedgeOptions = { delayMs: 8000, maxExtra: 1 };
export const CACHE_DEFAULTS: CacheOptions = { ttlMs: 0, staleIfErrorMs: 0 };

/** The global engine options (`defaults:`), every value filled in. */
export interface EngineDefaults {
  failureThreshold: number;
  recoveryTimeoutMs: number;
  maxRecoveryTimeoutMs: number;
  halfOpenRequests: number;
  failureRateThreshold?: number;
  failureRateWindowMs: number;
  minimumCalls: number;
  slowCallMs?: number;
  healthCheckIntervalMs: number;
  healthCheckTimeoutMs: number;
  retry: RetryOptions;
  retryBudget: RetryBudgetOptions | false;
  rateLimitCooldownMs: number;
  quotaCooldownMs: number;
  authCooldownMs: number;
  maxRetryAfterWaitMs: number;
  minAttemptMs: number;
  explorationRatio: number;
  timeoutMs: number;
  deadlineMs: number;
  maxConcurrency?: number;
  adaptiveConcurrency?: AdaptiveConcurrencyOptions;
  queueTimeoutMs: number;
  hedge: HedgeOptions | false;
  cache: CacheOptions;
  strategy: Strategy;
}

/** What `defaults:` holds when the file says nothing. */
export const ENGINE_DEFAULTS: EngineDefaults = {
  failureThreshold: DEFAULT_TARGET_OPTIONS.failureThreshold,
  recoveryTimeoutMs: DEFAULT_TARGET_OPTIONS.recoveryTimeoutMs,
  maxRecoveryTimeoutMs: DEFAULT_TARGET_OPTIONS.maxRecoveryTimeoutMs,
  halfOpenRequests: DEFAULT_TARGET_OPTIONS.halfOpenRequests,
  failureRateWindowMs: DEFAULT_TARGET_OPTIONS.failureRateWindowMs,
  minimumCalls: DEFAULT_TARGET_OPTIONS.minimumCalls,
  healthCheckIntervalMs: 60_000,
  healthCheckTimeoutMs: 10_000,
  retry: RETRY_DEFAULTS,
  retryBudget: RETRY_BUDGET_DEFAULTS,
  rateLimitCooldownMs: DEFAULT_TARGET_OPTIONS.rateLimitCooldownMs,
  quotaCooldownMs: DEFAULT_TARGET_OPTIONS.quotaCooldownMs,
  authCooldownMs: DEFAULT_TARGET_OPTIONS.authCooldownMs,
  maxRetryAfterWaitMs: 2000,
  minAttemptMs: 5,
  explorationRatio: 0.05,
  timeoutMs: 60_000,
  deadlineMs: 120_000,
  queueTimeoutMs: DEFAULT_TARGET_OPTIONS.queueTimeoutMs,
  hedge: false,
  cache: CACHE_DEFAULTS,
  strategy: "priority",
};

/** What a target may override: its breaker, retry, timeout and concurrency. */
export interface TargetOverrides {
  failureThreshold?: number;
  recoveryTimeoutMs?: number;
  maxRecoveryTimeoutMs?: number;
  halfOpenRequests?: number;
  failureRateThreshold?: number;
  failureRateWindowMs?: number;
  minimumCalls?: number;
  slowCallMs?: number;
  rateLimitCooldownMs?: number;
  quotaCooldownMs?: number;
  authCooldownMs?: number;
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
  maxConcurrency?: number;
  adaptiveConcurrency?: AdaptiveConcurrencyOptions;
  queueTimeoutMs?: number;
}

/** What a model may override: every engine option. */
export interface EngineOverrides extends TargetOverrides {
  healthCheckIntervalMs?: number;
  healthCheckTimeoutMs?: number;
  retryBudget?: Partial<RetryBudgetOptions> | false;
  maxRetryAfterWaitMs?: number;
  minAttemptMs?: number;
  explorationRatio?: number;
  deadlineMs?: number;
  hedge?: Partial<HedgeOptions> | false;
  cache?: Partial<CacheOptions>;
  strategy?: Strategy;
}
