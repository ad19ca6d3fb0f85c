import type { EngineDefaults } from "../../config/index.js";
import type { CallOptions } from "../../engine/call.js";
import type { ProviderFactoryOptions, RegisterOptions } from "../../engine/options.js";

/** The factory-wide options of one model, from its resolved config. */
export function factoryOptions(resolved: EngineDefaults): ProviderFactoryOptions {
  return {
    ...breakerAndTargetOptions(resolved),
    healthCheckIntervalMs: resolved.healthCheckIntervalMs,
    healthCheckTimeoutMs: resolved.healthCheckTimeoutMs,
    retryBudget: resolved.retryBudget,
    maxRetryAfterWaitMs: resolved.maxRetryAfterWaitMs,
    strategy: resolved.strategy,
  };
}

/** The options of one target (one key of one provider, serving one upstream model). */
export function targetOptions(resolved: EngineDefaults): RegisterOptions {
  return breakerAndTargetOptions(resolved);
}

/** What each call to a model carries: its deadline, hedging and caching. */
export function callOptions<Request>(resolved: EngineDefaults): CallOptions<Request> {
  const options: CallOptions<Request> = { deadlineMs: resolved.deadlineMs };
  if (resolved.hedge) options.hedge = resolved.hedge;
  if (resolved.cache.ttlMs > 0) options.cache = resolved.cache;
  return options;
}

function breakerAndTargetOptions(resolved: EngineDefaults): RegisterOptions {
  return {
    failureThreshold: resolved.failureThreshold,
    recoveryTimeoutMs: resolved.recoveryTimeoutMs,
    maxRecoveryTimeoutMs: resolved.maxRecoveryTimeoutMs,
    halfOpenRequests: resolved.halfOpenRequests,
    failureRateThreshold: resolved.failureRateThreshold,
    failureRateWindowMs: resolved.failureRateWindowMs,
    minimumCalls: resolved.minimumCalls,
    slowCallMs: resolved.slowCallMs,
    retry: resolved.retry,
    timeoutMs: resolved.timeoutMs,
    maxConcurrency: resolved.maxConcurrency,
    adaptiveConcurrency: resolved.adaptiveConcurrency,
    queueTimeoutMs: resolved.queueTimeoutMs,
    rateLimitCooldownMs: resolved.rateLimitCooldownMs,
    quotaCooldownMs: resolved.quotaCooldownMs,
  };
}
