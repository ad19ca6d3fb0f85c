import { type Document, LineCounter, parseDocument } from "yaml";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import { formatPath, type PathSegment } from "./config-path.js";
import { configSchema, type SwitchyardConfig } from "./config-schema.js";
import { collectWarnings } from "./config-warnings.js";
import { crossCheck } from "./cross-check.js";
import { type DroppedKey, interpolateDocument } from "./interpolate-document.js";
import type { Environment } from "./interpolate-env.js";
import { type Aim, locatePath } from "./locate-node.js";
import { yamlErrorToProblem } from "./yaml-problems.js";
import { issuesToProblems } from "./zod-problems.js";

export interface ParseConfigOptions {
  /** The file name used in problems; default `switchyard.yaml`. */
  path?: string;
  /** Where `${VAR}` reads from; default `process.env`. */
  env?: Environment;
}

/** A valid config, with what is worth knowing about it. */
export interface LoadedConfig {
  /** The validated config, every default filled in, keys of unset variables left out. */
  config: SwitchyardConfig;
  /** The file it came from, as the caller named it. */
  file: string;
  /** Not errors, but worth a look: skipped providers, keys left out, no client auth. */
  warnings: ConfigProblem[];
  /** Providers with no usable key; still in `config.providers`, but skipped at runtime. */
  skippedProviders: string[];
}

/**
 * Parses, interpolates and validates a config's text. Throws a `ConfigError` listing every problem
 * found, each with its path, line and column.
 */
export function parseConfigText(text: string, options: ParseConfigOptions = {}): LoadedConfig {
  const file = options.path ?? "switchyard.yaml";
  const env = options.env ?? process.env;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => yamlErrorToProblem(error, text, lineCounter)),
    );
  }
  const place = (path: readonly PathSegment[], aim: Aim) => locatePath(doc, lineCounter, path, aim);
  const interpolation = interpolateDocument(doc, text, env, (offset) => {
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  });
  const raw = toPlainData(doc);
  if (!raw.ok)
    throw new ConfigError(file, [{ path: "", line: 1, column: 1, message: raw.message }]);
  const data = raw.value;
  if (data === null || data === undefined || typeof data !== "object" || Array.isArray(data)) {
    const message =
      data === null || data === undefined
        ? "the file is empty; it needs at least a providers list"
        : "the top level must be a mapping (server:, providers:, models:, ...)";
    throw new ConfigError(file, [
      ...interpolation.problems,
      { path: "", ...place([], "value"), message },
    ]);
  }

  const problems: ConfigProblem[] = [...interpolation.problems];
  const reported = new Set(problems.map((problem) => problem.path));
  const addUnlessReported = (problem: ConfigProblem): void => {
    if (!reported.has(problem.path)) problems.push(problem);
  };
  const result = configSchema.safeParse(data);
  if (!result.success) {
    for (const problem of issuesToProblems(result.error.issues, data, place)) {
      addUnlessReported(problem);
    }
  }
  for (const problem of crossCheck(data as Record<string, unknown>)) {
    addUnlessReported({
      path: formatPath(problem.path),
      ...place(problem.path, problem.aim),
      message: problem.message,
    });
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(file, problems);

  const config = dropKeys(result.data, interpolation.droppedKeys);
  const { warnings, skippedProviders } = collectWarnings(config, interpolation.droppedKeys, place);
  return { config, file, warnings, skippedProviders };
}

function toPlainData(doc: Document): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/:\s.*$/, "") : String(error);
    return { ok: false, message: `YAML: ${message}` };
  }
}

/** The config without the key entries whose variables were unset or empty. */
function dropKeys(config: SwitchyardConfig, dropped: readonly DroppedKey[]): SwitchyardConfig {
  if (dropped.length === 0) return config;
  return {
    ...config,
    providers: config.providers.map((provider, providerIndex) => ({
      ...provider,
      keys: provider.keys.filter(
        (_, keyIndex) =>
          !dropped.some(
            (entry) => entry.providerIndex === providerIndex && entry.keyIndex === keyIndex,
          ),
      ),
    })),
  };
}
