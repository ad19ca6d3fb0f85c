import { z } from "zod";
import {
  ENGINE_DEFAULTS,
  type EngineDefaults,
  type EngineOverrides,
  type RetryOptions,
  STRATEGIES,
} from "./engine-defaults.js";
import { resolveEngineOptions } from "./resolve-engine-options.js";
import { count, duration, falseOr, nonNegative, ratio, strictObject } from "./schema-helpers.js";

const retrySchema = strictObject({
  maxAttempts: count(1).optional(),
  baseDelayMs: duration().optional(),
  maxDelayMs: duration().optional(),
});
const retryBudgetSchema = strictObject({
  ratio: ratio().optional(),
  windowMs: duration(1).optional(),
  minPerSecond: nonNegative().optional(),
});
const hedgeSchema = strictObject({
  delayMs: duration().optional(),
  maxExtra: count(0).optional(),
});
const cacheSchema = strictObject({
  ttlMs: duration().optional(),
  staleIfErrorMs: duration().optional(),
});

/** The options a target may override: its breaker, retry, timeout and concurrency. */
export const targetOptionShape = {
  failureThreshold: count(1).optional(),
  recoveryTimeoutMs: duration().optional(),
  maxRecoveryTimeoutMs: duration().optional(),
  halfOpenRequests: count(1).optional(),
  failureRateThreshold: ratio().optional(),
  failureRateWindowMs: duration().optional(),
  minimumCalls: count(1).optional(),
  slowCallMs: duration().optional(),
  rateLimitCooldownMs: duration().optional(),
  quotaCooldownMs: duration().optional(),
  authCooldownMs: duration().optional(),
  retry: retrySchema.optional(),
  timeoutMs: duration().optional(),
  maxConcurrency: count(1).optional(),
  queueTimeoutMs: duration().optional(),
  adaptiveConcurrency: strictObject({
    maxLimit: count(1),
    minLimit: count(1).optional(),
    initialLimit: count(1).optional(),
    backoffRatio: ratio().optional(),
    latencyTolerance: z.number().min(1).optional(),
  }).optional(),
};

/** Every engine option, each optional: what a model may override. */
export const engineOptionShape = {
  ...targetOptionShape,
  healthCheckIntervalMs: duration(1).optional(),
  healthCheckTimeoutMs: duration(1).optional(),
  retryBudget: falseOr(retryBudgetSchema, "a mapping (ratio, windowMs, minPerSecond)").optional(),
  maxRetryAfterWaitMs: duration().optional(),
  minAttemptMs: duration().optional(),
  explorationRatio: ratio().optional(),
  deadlineMs: duration().optional(),
  hedge: falseOr(hedgeSchema, "a mapping (delayMs, maxExtra)").optional(),
  cache: cacheSchema.optional(),
  strategy: z.enum(STRATEGIES).optional(),
};

/** Keys of `defaults` that apply to a whole call or model, so a target may not set them. */
export const MODEL_ONLY_KEYS = Object.keys(engineOptionShape).filter(
  (key) => !(key in targetOptionShape),
);

/** Fills in every default; a partial `retry`, `retryBudget`, `hedge` or `cache` keeps the rest. */
export function applyEngineDefaults(options: EngineOverrides): EngineDefaults {
  return resolveEngineOptions(ENGINE_DEFAULTS, options);
}

/** The order rules every level must keep: a cap not below its base. */
export function checkEngineOrder(
  options: { recoveryTimeoutMs?: number; maxRecoveryTimeoutMs?: number; retry?: unknown },
  context: z.RefinementCtx,
): void {
  const { recoveryTimeoutMs, maxRecoveryTimeoutMs } = options;
  if (
    recoveryTimeoutMs !== undefined &&
    maxRecoveryTimeoutMs !== undefined &&
    maxRecoveryTimeoutMs < recoveryTimeoutMs
  ) {
    context.addIssue({
      code: "custom",
      path: ["maxRecoveryTimeoutMs"],
      message: `must be at least recoveryTimeoutMs (${recoveryTimeoutMs}), got ${maxRecoveryTimeoutMs}`,
    });
  }
  const retry = options.retry as Partial<RetryOptions> | undefined;
  if (
    retry?.baseDelayMs !== undefined &&
    retry.maxDelayMs !== undefined &&
    retry.maxDelayMs < retry.baseDelayMs
  ) {
    context.addIssue({
      code: "custom",
      path: ["retry", "maxDelayMs"],
      message: `must be at least retry.baseDelayMs (${retry.baseDelayMs}), got ${retry.maxDelayMs}`,
    });
  }
}

/** `defaults:`: every engine option, filled in. */
export const engineDefaultsSchema = strictObject(engineOptionShape)
  .transform(applyEngineDefaults)
  .superRefine(checkEngineOrder);
