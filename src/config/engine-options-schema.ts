import { z } from "zod";
import {
  ENGINE_OPTION_NAMES,
  ENGINE_OPTIONS,
  type EngineOptionName,
  type OptionType,
  optionsOfScope,
} from "../engine/option-table.js";
import {
  ENGINE_DEFAULTS,
  type EngineDefaults,
  type EngineOverrides,
  type RetryOptions,
  type TargetOverrides,
} from "./engine-defaults.js";
import { resolveEngineOptions } from "./resolve-engine-options.js";
import { atLeast, count, duration, falseOr, ratio, strictObject } from "./schema-helpers.js";

/**
 * The schema of one value of an option type. Fields of a mapping are optional at each level (they
 * merge), except the required ones of a mapping that is given whole.
 */
function schemaFor(type: OptionType): z.ZodType {
  switch (type.kind) {
    case "count":
      return count(type.min);
    case "duration":
      return duration(type.min);
    case "ratio":
      return ratio();
    case "number":
      return atLeast(type.min);
    case "enum":
      return z.enum(type.values as [string, ...string[]]);
    case "object": {
      const shape = Object.fromEntries(
        Object.entries(type.fields).map(([name, field]) => {
          const schema = schemaFor(field.type);
          return [name, field.required && type.whole ? schema : schema.optional()];
        }),
      );
      const mapping = strictObject(shape);
      if (!type.off) return mapping;
      return falseOr(mapping, `a mapping (${Object.keys(type.fields).join(", ")})`);
    }
  }
}

type Shape<Overrides> = { [Name in keyof Overrides]-?: z.ZodOptional<z.ZodType<Overrides[Name]>> };

function shapeOf(names: readonly EngineOptionName[]) {
  return Object.fromEntries(
    names.map((name) => [name, schemaFor(ENGINE_OPTIONS[name].type).optional()]),
  );
}

/** The options a target may override: those of scope `target`. */
export const targetOptionShape = shapeOf(optionsOfScope("target")) as Shape<TargetOverrides>;

/** Every engine option, each optional: what a model (or `defaults:`) may set. */
export const engineOptionShape = shapeOf(ENGINE_OPTION_NAMES) as Shape<EngineOverrides>;

/** Keys of `defaults` that apply to a whole call or model, so a target may not set them. */
export const MODEL_ONLY_KEYS = optionsOfScope("factory", "call");

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
