import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { type Environment, isConfigError } from "../config/index.js";
import { runCheckCommand } from "./check-command.js";
import { createLogger } from "./create-logger.js";
import type { OllamaProbe } from "./probe-ollama.js";
import { DEFAULT_CONFIG_FILE } from "./resolve-config.js";
import { logProblems, type RunningServer, startServe } from "./serve-command.js";
import { runSimulateCommand } from "./simulate-command.js";

/** Where the CLI reads and writes; the process's by default. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Environment;
  cwd: string;
  /** Injected in tests; default: ask http://127.0.0.1:11434. */
  probeOllama?: OllamaProbe;
}

/** A command either finished with an exit code or left a server running. */
export type CliOutcome = { exitCode: number } | { server: RunningServer };

/**
 * Runs `switchyard <command>` for `argv` (the arguments after the program name). Never calls
 * `process.exit`. Commands: `serve`, `check`, `simulate`; `logs` and `usage` are to come.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo(),
): Promise<CliOutcome> {
  let outcome: CliOutcome = { exitCode: 0 };
  const program = new Command("switchyard")
    .description("A failover router for AI provider APIs")
    .version(packageVersion(), "-v, --version")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run switchyard --help for usage)");

  program
    .command("serve")
    .description(
      `run the gateway (config: --config, else ./${DEFAULT_CONFIG_FILE}, else built from the environment)`,
    )
    .option("-c, --config <file>", "config file")
    .option("--host <host>", "interface to listen on (overrides server.host)")
    .option(
      "-p, --port <port>",
      "port to listen on; 0 picks a free one (overrides server.port)",
      port,
    )
    .action(async (options: { config?: string; host?: string; port?: number }) => {
      outcome = await serve(options, io);
    });

  program
    .command("check")
    .description(`validate a config file (default ./${DEFAULT_CONFIG_FILE}) and list every problem`)
    .argument("[file]", "config file")
    .option("-c, --config <file>", "config file (same as the argument)")
    .option("--json", "print the result as JSON")
    .option("--print", "print the loaded config with secrets redacted")
    .action(
      async (
        file: string | undefined,
        options: { config?: string; json?: boolean; print?: boolean },
      ) => {
        const exitCode = await runCheckCommand({
          path: inCwd(io, options.config ?? file ?? DEFAULT_CONFIG_FILE),
          env: io.env,
          json: options.json,
          print: options.print,
          write: io.stdout,
        });
        outcome = { exitCode };
      },
    );

  program
    .command("simulate")
    .description(
      "run a scenario against the config's routing in virtual time (see docs/simulate.md)",
    )
    .requiredOption("-s, --scenario <file>", "scenario file")
    .option("-c, --config <file>", `config file (default ./${DEFAULT_CONFIG_FILE})`)
    .option("--html <file>", "also write a self-contained HTML report")
    .option("--json", "print the report's numbers as one JSON object")
    .option("--seed <n>", "override the scenario's seed", (value: string) => Number(value))
    .action(
      async (options: {
        scenario: string;
        config?: string;
        html?: string;
        json?: boolean;
        seed?: number;
      }) => {
        const exitCode = await runSimulateCommand({
          config: inCwd(io, options.config ?? DEFAULT_CONFIG_FILE),
          scenario: inCwd(io, options.scenario),
          html: options.html === undefined ? undefined : inCwd(io, options.html),
          json: options.json,
          seed: options.seed,
          env: io.env,
          write: io.stdout,
          writeError: io.stderr,
        });
        outcome = { exitCode };
      },
    );

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return { exitCode: error.exitCode };
    throw error;
  }
  return outcome;
}

async function serve(
  options: { config?: string; host?: string; port?: number },
  io: CliIo,
): Promise<CliOutcome> {
  try {
    const server = await startServe({
      config: options.config === undefined ? undefined : inCwd(io, options.config),
      host: options.host,
      port: options.port,
      cwd: io.cwd,
      env: io.env,
      writeBanner: io.stderr,
      ...(io.probeOllama ? { probeOllama: io.probeOllama } : {}),
    });
    return { server };
  } catch (error) {
    const logger = createLogger();
    if (isConfigError(error)) {
      logProblems(logger, error.file, error.problems, "error");
      logger.error(
        { file: error.file, problems: error.problems.length },
        `cannot start: ${error.file} has ${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}`,
      );
    } else {
      logger.error(
        { error: error instanceof Error ? error.message : String(error) },
        "cannot start",
      );
    }
    return { exitCode: 1 };
  }
}

/** A relative path as seen from `io.cwd` (left as typed when that is the process's own directory). */
function inCwd(io: CliIo, path: string): string {
  return isAbsolute(path) || io.cwd === process.cwd() ? path : join(io.cwd, path);
}

function port(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65_535) {
    throw new InvalidArgumentError(`must be a whole number from 0 to 65535, got "${value}"`);
  }
  return parsed;
}

function packageVersion(): string {
  try {
    const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}
