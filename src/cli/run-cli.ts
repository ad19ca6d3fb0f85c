import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { type Environment, isConfigError, loadConfig } from "../config/index.js";
import { createTraceStore } from "../store/create-trace-store.js";
import { parseTime } from "../store/parse-time.js";
import type { RequestOutcome } from "../store/request-trace.js";
import type { TraceStore } from "../store/trace-store.js";
import { runCheckCommand } from "./check-command.js";
import { createLogger } from "./create-logger.js";
import { addKeyCommands } from "./keys-command.js";
import { runLogsCommand } from "./logs-command.js";
import type { OllamaProbe } from "./probe-ollama.js";
import { DEFAULT_CONFIG_FILE } from "./resolve-config.js";
import { logProblems, type RunningServer, startServe } from "./serve-command.js";
import { runSimulateCommand } from "./simulate-command.js";
import { runUsageCommand } from "./usage-command.js";

/** Where the CLI reads and writes; the process's by default. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Environment;
  cwd: string;
  /** Injected in tests; default: ask http://127.0.0.1:11434. */
  probeOllama?: OllamaProbe;
  /** Injected in tests; default the global fetch (the `keys` and `teams` commands). */
  fetch?: typeof fetch;
}

/** A command either finished with an exit code or left a server running. */
export type CliOutcome = { exitCode: number } | { server: RunningServer };

/**
 * Runs `switchyard <command>` for `argv` (the arguments after the program name). Never calls
 * `process.exit`. Commands: `serve`, `check`, `simulate`, `logs`, `usage`, `keys`, `teams`.
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

  const withStore = async (
    configFile: string | undefined,
    work: (store: TraceStore) => Promise<number>,
  ): Promise<number> => {
    const path = inCwd(io, configFile ?? DEFAULT_CONFIG_FILE);
    let loaded: Awaited<ReturnType<typeof loadConfig>>;
    try {
      loaded = await loadConfig(path, io.env);
    } catch (error) {
      io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const database = loaded.config.database;
    if (!database) {
      io.stderr(`${path} has no \`database\`: request traces are not kept\n`);
      return 1;
    }
    const store = createTraceStore({ url: database.url, baseDir: dirname(path) });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  program
    .command("logs")
    .description("list requests newest first, or show one request's attempt chain (--id)")
    .option("-c, --config <file>", `config file (default ./${DEFAULT_CONFIG_FILE})`)
    .option("--id <requestId>", "show this request and its attempts")
    .option("--client <name>")
    .option("--model <name>")
    .option("--provider <name>")
    .option("--status <code>", "HTTP status", (value: string) => Number(value))
    .option("--outcome <outcome>", "success, error, interrupted or client_closed")
    .option("--since <time>", "e.g. 1h, 7d, an ISO date or epoch ms")
    .option("--until <time>")
    .option("--limit <n>", "at most this many", (value: string) => Number(value))
    .option("--json", "print JSON")
    .action(async (options: Record<string, string | number | boolean | undefined>) => {
      const now = Date.now();
      const time = (value: unknown) =>
        typeof value === "string" ? parseTime(value, now) : undefined;
      const exitCode = await withStore(options.config as string | undefined, (store) =>
        runLogsCommand({
          store,
          id: options.id as string | undefined,
          client: options.client as string | undefined,
          model: options.model as string | undefined,
          provider: options.provider as string | undefined,
          status: options.status as number | undefined,
          outcome: options.outcome as RequestOutcome | undefined,
          since: time(options.since),
          until: time(options.until),
          limit: options.limit as number | undefined,
          json: options.json === true,
          write: io.stdout,
        }),
      );
      outcome = { exitCode };
    });

  program
    .command("usage")
    .description("tokens and cost by client, model or provider")
    .option("-c, --config <file>", `config file (default ./${DEFAULT_CONFIG_FILE})`)
    .option("--group-by <field>", "client, model or provider", "client")
    .option("--since <time>", "e.g. 1h, 7d, an ISO date or epoch ms")
    .option("--until <time>")
    .option("--json", "print JSON")
    .action(
      async (options: {
        config?: string;
        groupBy: string;
        since?: string;
        until?: string;
        json?: boolean;
      }) => {
        const now = Date.now();
        const exitCode = await withStore(options.config, (store) =>
          runUsageCommand({
            store,
            groupBy: options.groupBy as "client" | "model" | "provider",
            since: options.since === undefined ? undefined : parseTime(options.since, now),
            until: options.until === undefined ? undefined : parseTime(options.until, now),
            json: options.json === true,
            write: io.stdout,
          }),
        );
        outcome = { exitCode };
      },
    );

  addKeyCommands(program, io, (exitCode) => {
    outcome = { exitCode };
  });

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
