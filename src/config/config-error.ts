import { SwitchyardError } from "../errors/switchyard-error.js";

/**
 * One thing wrong with a config file. `path` is the place in the config (`models[0].targets[1].provider`,
 * empty for the file as a whole); `line` and `column` are 1-based, or 0 when the problem has no place in
 * the text (the file could not be read).
 */
export interface ConfigProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}

/**
 * `switchyard.yaml:14:9 models[0].targets[1].provider: unknown provider "claud" (known: ...)`; with a
 * `label` (`warning`), it comes after the place: `switchyard.yaml:20:5 warning providers[2].keys: ...`.
 */
export function formatConfigProblem(file: string, problem: ConfigProblem, label?: string): string {
  const place = problem.line > 0 ? `${file}:${problem.line}:${problem.column}` : file;
  const prefix = label === undefined ? place : `${place} ${label}`;
  return problem.path === ""
    ? `${prefix}${label === undefined ? "" : ":"} ${problem.message}`
    : `${prefix} ${problem.path}: ${problem.message}`;
}

/** Problems in text order; those without a place first. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * A config file that cannot be used. Lists every problem found, not just the first; its message is
 * one formatted problem per line. No message ever contains a secret from the file.
 */
export class ConfigError extends SwitchyardError {
  /** The file as the caller named it (or the label given to `parseConfigText`). */
  readonly file: string;
  readonly problems: readonly ConfigProblem[];
  /** Things that are not errors but deserve a look (see `checkConfig`). */
  readonly warnings: readonly ConfigProblem[];

  constructor(
    file: string,
    problems: readonly ConfigProblem[],
    warnings: readonly ConfigProblem[] = [],
  ) {
    const sorted = sortProblems(problems);
    super("config_invalid", sorted.map((problem) => formatConfigProblem(file, problem)).join("\n"));
    this.file = file;
    this.problems = sorted;
    this.warnings = sortProblems(warnings);
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
