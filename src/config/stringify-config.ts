import { stringify } from "yaml";
import type { SwitchyardConfig } from "./config-schema.js";
import { escapeInterpolation } from "./interpolate-env.js";

/**
 * A config as YAML that loads back to the same config: every `${` in a string value is written as
 * `$${`, so interpolation leaves it alone. Use it on a redacted config before showing it.
 */
export function stringifyConfig(config: SwitchyardConfig): string {
  return stringify(escapeStrings(config));
}

function escapeStrings(value: unknown): unknown {
  if (typeof value === "string") return escapeInterpolation(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, escapeStrings(entry)]),
    );
  }
  return value;
}
