import {
  ENGINE_OPTION_NAMES,
  ENGINE_OPTIONS,
  fieldDefaults,
  type OptionSpec,
} from "../engine/option-table.js";
import type { EngineDefaults, EngineOverrides } from "./engine-defaults.js";

/**
 * The options in force for a model, or for one of its targets: `defaults`, then each level of
 * overrides in turn (`resolveEngineOptions(config.defaults, model, target)`). A partial `retry`,
 * `retryBudget`, `hedge` or `cache` changes only the fields it names; `false` turns the feature off;
 * an `adaptiveConcurrency` is taken whole. Keys that are not engine options (a target's `provider`,
 * `model`, `weight`, ...) are ignored.
 */
export function resolveEngineOptions(
  defaults: EngineDefaults,
  ...levels: readonly EngineOverrides[]
): EngineDefaults {
  const resolved = structuredClone(defaults) as Record<string, unknown>;
  for (const level of levels) {
    for (const name of ENGINE_OPTION_NAMES) {
      const value = level[name];
      if (value !== undefined) resolved[name] = merge(ENGINE_OPTIONS[name], resolved[name], value);
    }
  }
  return resolved as EngineDefaults;
}

function merge(spec: OptionSpec, current: unknown, value: unknown): unknown {
  const type = spec.type;
  if (type.kind !== "object" || type.whole || typeof value !== "object" || value === null) {
    return value;
  }
  const base =
    typeof current === "object" && current !== null ? current : fieldDefaults(type, true);
  const changed = Object.entries(value).filter(([, field]) => field !== undefined);
  return { ...base, ...Object.fromEntries(changed) };
}
