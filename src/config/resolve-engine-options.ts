import {
  CACHE_DEFAULTS,
  type EngineDefaults,
  type EngineOverrides,
  HEDGE_DEFAULTS,
  RETRY_BUDGET_DEFAULTS,
} from "./engine-defaults.js";

/**
 * The options in force for a model, or for one of its targets: `defaults`, then each level of
 * overrides in turn (`resolveEngineOptions(config.defaults, model, target)`). A partial `retry`,
 * `retryBudget`, `hedge` or `cache` changes only the fields it names; `false` turns the feature off.
 * Keys that are not engine options (a target's `provider`, `model`, `weight`, ...) are ignored.
 */
export function resolveEngineOptions(
  defaults: EngineDefaults,
  ...levels: readonly EngineOverrides[]
): EngineDefaults {
  const resolved: EngineDefaults = structuredClone(defaults);
  for (const level of levels) {
    for (const key of Object.keys(defaults) as (keyof EngineDefaults)[]) {
      mergeKey(resolved, level, key);
    }
    if (level.failureRateThreshold !== undefined) {
      resolved.failureRateThreshold = level.failureRateThreshold;
    }
    if (level.slowCallMs !== undefined) resolved.slowCallMs = level.slowCallMs;
    if (level.maxConcurrency !== undefined) resolved.maxConcurrency = level.maxConcurrency;
    if (level.adaptiveConcurrency !== undefined) {
      resolved.adaptiveConcurrency = level.adaptiveConcurrency;
    }
  }
  return resolved;
}

function mergeKey(
  resolved: EngineDefaults,
  level: EngineOverrides,
  key: keyof EngineDefaults,
): void {
  switch (key) {
    case "retry":
      resolved.retry = { ...resolved.retry, ...defined(level.retry) };
      return;
    case "retryBudget":
      if (level.retryBudget === false) resolved.retryBudget = false;
      else if (level.retryBudget !== undefined) {
        resolved.retryBudget = {
          ...(resolved.retryBudget === false ? RETRY_BUDGET_DEFAULTS : resolved.retryBudget),
          ...defined(level.retryBudget),
        };
      }
      return;
    case "hedge":
      if (level.hedge === false) resolved.hedge = false;
      else if (level.hedge !== undefined) {
        resolved.hedge = {
          ...(resolved.hedge === false ? HEDGE_DEFAULTS : resolved.hedge),
          ...defined(level.hedge),
        };
      }
      return;
    case "cache":
      resolved.cache = { ...CACHE_DEFAULTS, ...resolved.cache, ...defined(level.cache) };
      return;
    default: {
      const value = level[key];
      if (value !== undefined) Object.assign(resolved, { [key]: value });
    }
  }
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
