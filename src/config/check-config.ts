import { parse } from "yaml";
import { type ConfigProblem, isConfigError } from "./config-error.js";
import type { Environment } from "./interpolate-env.js";
import { readConfigFile } from "./load-config.js";
import { type LoadedConfig, parseConfigText } from "./parse-config-text.js";

export interface ConfigSummary {
  providers: number;
  /** Providers without a usable key, skipped at runtime. */
  skippedProviders: string[];
  models: number;
  clients: number;
}

export interface CheckResult {
  ok: boolean;
  file: string;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
  /** Counted from the valid config, or, when invalid, as best the file can be read. */
  summary: ConfigSummary;
  /** The loaded config when `ok`. */
  loaded?: LoadedConfig;
}

export interface CheckConfigOptions {
  /** Where `${VAR}` reads from; default `process.env`. */
  env?: Environment;
}

/** Loads a config file and reports, rather than throws, what is wrong with it. */
export async function checkConfig(
  path: string,
  options: CheckConfigOptions = {},
): Promise<CheckResult> {
  let text: string;
  try {
    text = await readConfigFile(path);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    return { ok: false, file: path, problems: [...error.problems], warnings: [], summary: empty() };
  }
  return checkConfigText(text, { path, env: options.env });
}

/** `checkConfig` for text in hand; `path` names it in problems. */
export function checkConfigText(
  text: string,
  options: { path?: string; env?: Environment | undefined } = {},
): CheckResult {
  const file = options.path ?? "switchyard.yaml";
  try {
    const loaded = parseConfigText(text, { path: file, env: options.env ?? process.env });
    const { config } = loaded;
    return {
      ok: true,
      file,
      problems: [],
      warnings: loaded.warnings,
      summary: {
        providers: config.providers.length,
        skippedProviders: loaded.skippedProviders,
        models: config.models.length,
        clients: config.clients?.length ?? 0,
      },
      loaded,
    };
  } catch (error) {
    if (!isConfigError(error)) throw error;
    return {
      ok: false,
      file,
      problems: [...error.problems],
      warnings: [...error.warnings],
      summary: roughSummary(text),
    };
  }
}

function empty(): ConfigSummary {
  return { providers: 0, skippedProviders: [], models: 0, clients: 0 };
}

/** Counts from an invalid file, as far as it parses at all. */
function roughSummary(text: string): ConfigSummary {
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: false });
  } catch {
    return empty();
  }
  if (data === null || typeof data !== "object") return empty();
  const length = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
  const record = data as Record<string, unknown>;
  return {
    providers: length(record.providers),
    skippedProviders: [],
    models: length(record.models),
    clients: length(record.clients),
  };
}
