import { writeFile } from "node:fs/promises";
import { formatConfigProblem, isConfigError, parseConfigText } from "../config/index.js";
import type { Environment } from "../config/interpolate-env.js";
import { readConfigFile } from "../config/load-config.js";
import { formatTerminalReport } from "../simulate/format-terminal-report.js";
import { loadScenario } from "../simulate/parse-scenario-text.js";
import { renderHtmlReport } from "../simulate/render-html-report.js";
import { runSimulation } from "../simulate/run-simulation.js";
import { scenarioNames } from "../simulate/scenario-names.js";
import { simulationEnv } from "../simulate/simulation-env.js";

export interface SimulateCommandOptions {
  /** The config file; default `switchyard.yaml`. */
  config?: string;
  /** The scenario file. */
  scenario: string;
  /** Also write a self-contained HTML report to this file. */
  html?: string;
  /** Print the report's numbers as one JSON object instead of the terminal summary. */
  json?: boolean;
  /** Overrides the scenario's `seed`. */
  seed?: number;
  /** Where `${VAR}` reads from; default `process.env`. Unset key variables get a placeholder. */
  env?: Environment;
  /** Where the report goes; default `process.stdout`. */
  write?: (text: string) => void;
  /** Where problems and notes go; default `process.stderr`. */
  writeError?: (text: string) => void;
}

/**
 * `switchyard simulate --config switchyard.yaml --scenario outage.yaml [--html report.html] [--json]
 * [--seed n]`: runs the scenario against the config's routing in virtual time and prints a summary
 * (or the JSON report). Returns the exit code: 0 when the simulation ran, 1 when the config or the
 * scenario is invalid (every problem printed with `file:line:column path: message`). Never calls
 * `process.exit`.
 */
export async function runSimulateCommand(options: SimulateCommandOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const writeError = options.writeError ?? ((text: string) => void process.stderr.write(text));
  const configPath = options.config ?? "switchyard.yaml";
  try {
    const text = await readConfigFile(configPath);
    const loaded = parseConfigText(text, {
      path: configPath,
      env: simulationEnv(text, options.env ?? process.env),
    });
    const names = scenarioNames(loaded.config, loaded.skippedProviders);
    const scenario = await loadScenario(options.scenario, names);
    if (options.seed !== undefined) {
      if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 4_294_967_295) {
        writeError(`--seed must be a whole number from 0 to 4294967295, got ${options.seed}\n`);
        return 1;
      }
      scenario.seed = options.seed;
    }
    if (loaded.skippedProviders.length > 0) {
      writeError(`skipped providers (no usable key): ${loaded.skippedProviders.join(", ")}\n`);
    }
    const run = await runSimulation({
      config: loaded.config,
      skippedProviders: loaded.skippedProviders,
      scenario,
    });
    if (options.json === true) write(`${JSON.stringify(run.report)}\n`);
    else write(formatTerminalReport(run.report, { wallMs: run.stats.wallMs }));
    if (options.html !== undefined) {
      await writeFile(options.html, renderHtmlReport(run.report), "utf8");
      writeError(`wrote ${options.html}\n`);
    }
    return 0;
  } catch (error) {
    if (!isConfigError(error)) throw error;
    for (const problem of error.problems)
      writeError(`${formatConfigProblem(error.file, problem)}\n`);
    return 1;
  }
}
