import type { ErrorKind } from "../errors/error-kind.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import type { AdaptiveConcurrencyOptions } from "./adaptive-limit.js";
import type { RetryOptions } from "./backoff.js";
import type { CacheStore } from "./cache-store.js";
import type { CircuitBreakerOptions } from "./circuit-breaker.js";
import type { ClassifyFn } from "./classify-error.js";
import type { Clock } from "./clock.js";
import {
  defaultOf,
  ENGINE_OPTIONS,
  type EngineOptionName,
  type OptionType,
  optionsOfScope,
  STRATEGIES,
  type StrategyName,
} from "./option-table.js";
import type { RetryBudgetOptions } from "./retry-budget.js";
import type { SharedState } from "./shared-state.js";

export { STRATEGIES, type StrategyName };

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
  /**
   * Cap on a cooldown a provider asks for (`retryAfterMs`) after a rate limit or auth failure.
   * Default 300_000 (5 min). A quota cooldown it asks for is capped at `quotaCooldownMs` instead.
   */
  maxCooldownMs?: number;
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
  /**
   * Error kinds that fail over to the next candidate although the error policy stops the call for
   * them (e.g. `content_filter`, for a model that may ask another vendor after a refusal). Only the
   * failover changes: they still count against no breaker, cooldown or retry their policy does not
   * name. Default none.
   */
  failOverOn?: readonly ErrorKind[];
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
  maxCooldownMs: number;
  adaptiveConcurrency: AdaptiveConcurrencyOptions | undefined;
}

type FactoryOptionName = {
  [Name in EngineOptionName]: (typeof ENGINE_OPTIONS)[Name]["scope"] extends "factory"
    ? Name
    : never;
}[EngineOptionName];

const TARGET_OPTIONS = optionsOfScope("target");
const FACTORY_OPTIONS = optionsOfScope("factory");

/** Every target option at its default (from `ENGINE_OPTIONS`); no time limit or slot cap means unlimited. */
export const DEFAULT_TARGET_OPTIONS = {
  ...Object.fromEntries(TARGET_OPTIONS.map((name) => [name, defaultOf(ENGINE_OPTIONS[name])])),
  timeoutMs: Number.POSITIVE_INFINITY,
  maxConcurrency: Number.POSITIVE_INFINITY,
} as ResolvedTargetOptions;

/** The factory's options at their defaults (from `ENGINE_OPTIONS`). */
export const DEFAULT_FACTORY_OPTIONS = Object.fromEntries(
  FACTORY_OPTIONS.map((name) => [name, defaultOf(ENGINE_OPTIONS[name])]),
) as {
  [Name in FactoryOptionName]-?: Required<Exclude<ProviderFactoryOptions[Name], false | undefined>>;
};

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = DEFAULT_FACTORY_OPTIONS.retryBudget;

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
  validate(TARGET_OPTIONS, options, where);
}

export function validateFactoryOptions(options: ProviderFactoryOptions): void {
  validate(TARGET_OPTIONS, options, "");
  validate(FACTORY_OPTIONS, options, "");
}

export function validateRegisterOptions(name: string, options: RegisterOptions): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new InvalidOptionError("name", "a non-empty string", name);
  }
  validateTargetOptions(options, name);
  checkValue(
    `${name}.priority`,
    { kind: "number", min: Number.NEGATIVE_INFINITY },
    options.priority,
  );
  checkValue(`${name}.weight`, { kind: "number", min: 0 }, options.weight);
  checkValue(`${name}.cost`, { kind: "number", min: 0 }, options.cost);
}

function validate(names: readonly string[], options: object, where: string): void {
  const values = options as Record<string, unknown>;
  for (const name of names) {
    const spec = ENGINE_OPTIONS[name as keyof typeof ENGINE_OPTIONS];
    checkValue(where ? `${where}.${name}` : name, spec.type, values[name]);
  }
}

/** Throws an `InvalidOptionError` naming the option, the rule and the value when it breaks its type. */
export function checkValue(name: string, type: OptionType, value: unknown): void {
  if (value === undefined) return;
  switch (type.kind) {
    case "count":
      if (!Number.isInteger(value) || (value as number) < type.min) {
        throw new InvalidOptionError(name, `an integer >= ${type.min}`, value);
      }
      return;
    case "duration":
      if (typeof value !== "number" || Number.isNaN(value) || value < type.min) {
        throw new InvalidOptionError(name, `a duration in milliseconds >= ${type.min}`, value);
      }
      return;
    case "number":
      if (typeof value !== "number" || Number.isNaN(value) || value < type.min) {
        throw new InvalidOptionError(name, `a number >= ${type.min}`, value);
      }
      return;
    case "ratio":
      if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
        throw new InvalidOptionError(name, "a ratio between 0 and 1", value);
      }
      return;
    case "enum":
      if (typeof value !== "string" || !type.values.includes(value)) {
        throw new InvalidOptionError(name, `one of ${type.values.join(", ")}`, value);
      }
      return;
    case "object":
      if (value === false && type.off) return;
      if (typeof value !== "object" || value === null) {
        throw new InvalidOptionError(name, type.off ? "an object or false" : "an object", value);
      }
      for (const [field, spec] of Object.entries(type.fields)) {
        const fieldValue = (value as Record<string, unknown>)[field];
        if (fieldValue === undefined && spec.required) {
          throw new InvalidOptionError(`${name}.${field}`, "set", fieldValue);
        }
        checkValue(`${name}.${field}`, spec.type, fieldValue);
      }
  }
}
