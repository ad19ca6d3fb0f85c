/**
 * The engine options a config sets, their types and the values `defaults:` holds when the file says
 * nothing: all derived from the engine's option table (`ENGINE_OPTIONS`), which states the engine's
 * defaults and, where a server needs another (a per-attempt timeout, a whole-call deadline), the
 * gateway's.
 */
import type { RetryOptions } from "../engine/backoff.js";
import {
  defaultOf,
  ENGINE_OPTION_NAMES,
  ENGINE_OPTIONS,
  type EngineOptionName,
  STRATEGIES,
  type StrategyName,
} from "../engine/option-table.js";
import type { EngineOptionValues } from "../engine/option-values.js";
import type { RetryBudgetOptions } from "../engine/retry-budget.js";

export { STRATEGIES };
export type Strategy = StrategyName;
export type { RetryBudgetOptions, RetryOptions };

type Spec<Name extends EngineOptionName> = (typeof ENGINE_OPTIONS)[Name];
type HasDefault<Name extends EngineOptionName> =
  Spec<Name> extends { default: unknown } | { serverDefault: unknown } ? true : false;

/** A mapping with every field filled in (functions such as a cache's `key` are not config). */
type Filled<Value> = Value extends false
  ? false
  : Value extends object
    ? { [Field in keyof Value as Field extends "key" ? never : Field]-?: Value[Field] }
    : Value;

/** The options in force (`defaults:`, or resolved for a model or target): every default filled in. */
export type EngineDefaults = {
  [Name in EngineOptionName as HasDefault<Name> extends true ? Name : never]: Filled<
    EngineOptionValues[Name]
  >;
} & {
  [Name in EngineOptionName as HasDefault<Name> extends true
    ? never
    : Name]?: EngineOptionValues[Name];
};

/** One level of overrides as written (a model, a target): a mapping may name only some fields. */
export type EngineOverrides = {
  [Name in EngineOptionName]?: EngineOptionValues[Name] extends infer Value
    ? Value extends object
      ? Partial<Value>
      : Value
    : never;
};

type TargetOptionName = {
  [Name in EngineOptionName]: Spec<Name>["scope"] extends "target" ? Name : never;
}[EngineOptionName];

/** What a target may override: the options of scope `target`. */
export type TargetOverrides = Pick<EngineOverrides, TargetOptionName>;

/** What `defaults:` holds when the file says nothing. */
export const ENGINE_DEFAULTS = Object.fromEntries(
  ENGINE_OPTION_NAMES.flatMap((name) => {
    const value = defaultOf(ENGINE_OPTIONS[name], true);
    return value === undefined ? [] : [[name, value]];
  }),
) as EngineDefaults;
