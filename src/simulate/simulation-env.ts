import { parseDocument } from "yaml";
import type { Environment } from "../config/interpolate-env.js";

/** What an unset key variable reads as in a simulation: keys are never sent anywhere. */
export const PLACEHOLDER_KEY = "simulated-key";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * The environment a config is loaded with for a simulation: `env`, plus a placeholder for every
 * variable a provider key reads that is unset or empty (and has no default), so providers whose keys
 * are not set on this machine are still simulated instead of skipped. Other variables are untouched.
 */
export function simulationEnv(configText: string, env: Environment): Environment {
  const filled: Record<string, string | undefined> = { ...env };
  for (const key of providerKeyTexts(configText)) {
    for (const match of key.matchAll(REFERENCE)) {
      const name = match[1];
      const fallback = match[2];
      if (name === undefined || (fallback !== undefined && fallback !== "")) continue;
      const value = env[name];
      if (value === undefined || value === "") filled[name] = PLACEHOLDER_KEY;
    }
  }
  return filled;
}

function providerKeyTexts(text: string): string[] {
  let data: unknown;
  try {
    data = parseDocument(text).toJS({ maxAliasCount: 1000 });
  } catch {
    return [];
  }
  const providers = (data as { providers?: unknown } | null)?.providers;
  if (!Array.isArray(providers)) return [];
  const texts: string[] = [];
  for (const provider of providers) {
    const keys = (provider as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) continue;
    for (const entry of keys) {
      const key = (entry as { key?: unknown } | null)?.key;
      if (typeof key === "string") texts.push(key);
    }
  }
  return texts;
}
