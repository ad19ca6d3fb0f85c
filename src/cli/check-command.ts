import { type CheckResult, checkConfig } from "../config/check-config.js";
import { formatConfigProblem } from "../config/config-error.js";
import type { Environment } from "../config/interpolate-env.js";
import { redactConfig } from "../config/redact-config.js";
import { stringifyConfig } from "../config/stringify-config.js";

export interface CheckCommandOptions {
  /** The config file; default `switchyard.yaml`. */
  path?: string;
  /** Where `${VAR}` reads from; default `process.env`. */
  env?: Environment;
  /** Print the result as one JSON object instead of lines. */
  json?: boolean;
  /** After a successful check, print the loaded config with secrets redacted. */
  print?: boolean;
  /** Where output goes; default `process.stdout`. */
  write?: (text: string) => void;
}

/**
 * `switchyard check [path]`: validates the config, prints every problem and warning with
 * `file:line:column path: message`, then a summary line. Returns the exit code: 0 when the config is
 * usable (warnings allowed), 1 when it is not. Never calls `process.exit`.
 */
export async function runCheckCommand(options: CheckCommandOptions = {}): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const result = await checkConfig(options.path ?? "switchyard.yaml", { env: options.env });
  if (options.json === true) {
    const { loaded: _loaded, ...report } = result;
    write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const line of formatCheckReport(result)) write(`${line}\n`);
    if (options.print === true && result.loaded !== undefined) {
      write(stringifyConfig(redactConfig(result.loaded.config)));
    }
  }
  return result.ok ? 0 : 1;
}

/** The report's lines: problems, then warnings, then one summary line. */
export function formatCheckReport(result: CheckResult): string[] {
  const lines = result.problems.map((problem) => formatConfigProblem(result.file, problem));
  for (const warning of result.warnings)
    lines.push(formatConfigProblem(result.file, warning, "warning"));
  lines.push(`${result.file}: ${verdict(result)}; ${describeSummary(result)}`);
  return lines;
}

function verdict(result: CheckResult): string {
  const warnings =
    result.warnings.length === 0 ? "" : `, ${plural(result.warnings.length, "warning")}`;
  return result.ok ? `OK${warnings}` : `${plural(result.problems.length, "problem")}${warnings}`;
}

function describeSummary(result: CheckResult): string {
  const { providers, skippedProviders, models, clients } = result.summary;
  const skipped =
    skippedProviders.length === 0
      ? ""
      : ` (${skippedProviders.length} skipped: ${skippedProviders.join(", ")})`;
  return `${plural(providers, "provider")}${skipped}, ${plural(models, "model")}, ${plural(clients, "client")}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
