import { access } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type Environment,
  type LoadedConfig,
  loadConfig,
  parseConfigText,
} from "../config/index.js";
import { DEFAULT_CONFIG_LABEL, planDefaultConfig } from "./default-config.js";
import { DEMO_CONFIG_LABEL } from "./demo-config-label.js";
import type { DemoProviders } from "./demo-providers.js";
import type { OllamaProbe } from "./probe-ollama.js";

/** The file `serve` and `check` read when none is named. */
export const DEFAULT_CONFIG_FILE = "switchyard.yaml";

export type ConfigSource = "file" | "default" | "demo";

export interface ResolvedConfig {
  loaded: LoadedConfig;
  /** A config file, the built-in default from the environment, or the demo over mock providers. */
  source: ConfigSource;
  /** The file to watch for changes: the one named, or `switchyard.yaml` when it exists. */
  watchPath: string | undefined;
  /** Why this config and not another; worth logging. */
  notes: string[];
}

export interface ResolveConfigOptions {
  /** A file named on the command line: always used, whatever it holds. */
  configPath?: string | undefined;
  /** Where `switchyard.yaml` is looked for. */
  cwd: string;
  env: Environment;
  probeOllama: OllamaProbe;
  /** Starts (once) the demo's mock providers. */
  demo: () => Promise<DemoProviders>;
}

/**
 * Picks the config to serve. A named file is loaded as is. Otherwise `switchyard.yaml` in `cwd` is
 * used when it exists and at least one of its providers has a key; when it has none (a fresh checkout
 * with no keys set), or there is no file, the built-in default is built from the environment, and
 * with nothing there either, the demo. Throws a `ConfigError` when the chosen config is invalid.
 */
export async function resolveConfig(options: ResolveConfigOptions): Promise<ResolvedConfig> {
  const notes: string[] = [];
  if (options.configPath !== undefined) {
    const loaded = await loadConfig(options.configPath, options.env);
    return { loaded, source: "file", watchPath: options.configPath, notes };
  }
  const implicit = resolve(options.cwd, DEFAULT_CONFIG_FILE);
  const watchPath = (await exists(implicit)) ? implicit : undefined;
  if (watchPath !== undefined) {
    const loaded = await loadConfig(watchPath, options.env);
    const usable = loaded.config.providers.length - loaded.skippedProviders.length;
    if (usable > 0) return { loaded, source: "file", watchPath, notes };
    notes.push(
      `${DEFAULT_CONFIG_FILE} has no provider with a key (skipped: ${loaded.skippedProviders.join(", ")}); using the built-in default config instead`,
    );
  }
  const plan = planDefaultConfig({ env: options.env, ollama: await options.probeOllama() });
  notes.push(...plan.notes);
  if (plan.text !== undefined) {
    const loaded = parseConfigText(plan.text, { path: DEFAULT_CONFIG_LABEL, env: options.env });
    return { loaded, source: "default", watchPath, notes };
  }
  const demo = await options.demo();
  const loaded = parseConfigText(demo.text, { path: DEMO_CONFIG_LABEL, env: options.env });
  // Only local mocks to protect: the "no clients" warning would be noise here.
  loaded.warnings = loaded.warnings.filter((warning) => warning.path !== "clients");
  return { loaded, source: "demo", watchPath, notes };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
