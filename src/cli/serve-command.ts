import type { Logger } from "pino";
import {
  type ConfigProblem,
  type Environment,
  formatConfigProblem,
  isConfigError,
  type LoadedConfig,
} from "../config/index.js";
import { Gateway } from "../gateway/gateway.js";
import { loadProviderModules } from "../gateway/routing/load-provider-modules.js";
import { createLogger } from "./create-logger.js";
import { type DemoDashboard, newDemoAdminKey, withDemoDashboard } from "./demo-admin-key.js";
import type { DemoProviders } from "./demo-providers.js";
import { type OllamaProbe, probeOllama } from "./probe-ollama.js";
import { type ConfigSource, type ResolvedConfig, resolveConfig } from "./resolve-config.js";
import { demoBanner } from "./startup-banner.js";
import { watchConfigFile } from "./watch-config-file.js";

export interface ServeOptions {
  /** A config file; default `switchyard.yaml` in `cwd` when it exists, else the built-in default. */
  config?: string | undefined;
  /** Override `server.host` / `server.port`. */
  host?: string | undefined;
  port?: number | undefined;
  cwd?: string;
  env?: Environment;
  /** Default: a pino logger on stdout at the config's `logging.level`. */
  logger?: Logger;
  /** Where the demo banner goes; default stderr. */
  writeBanner?: (text: string) => void;
  probeOllama?: OllamaProbe;
  /** Reload when the config file changes; default true. */
  watch?: boolean;
  watchDebounceMs?: number;
}

/** A running `switchyard serve`. */
export interface RunningServer {
  readonly url: string;
  readonly gateway: Gateway;
  readonly logger: Logger;
  /** Where the config being served came from. */
  readonly source: ConfigSource;
  /**
   * Loads the config again (file, or default from the environment) and swaps it in. A config with
   * problems is refused: every problem is logged and the current one keeps serving. Resolves with
   * whether the new config was applied. Reloads never overlap.
   */
  reload(reason: string): Promise<boolean>;
  /** Stops watching, drains in-flight requests for up to `server.shutdownGraceMs`, closes the demo. */
  close(): Promise<void>;
}

/**
 * `switchyard serve`: resolves the config, starts the gateway and watches the config file. Installs no
 * signal handlers (see `handleServeSignals`). Throws a `ConfigError` when the initial config is invalid.
 */
export async function startServe(options: ServeOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  let demo: Promise<DemoProviders> | undefined;
  const resolveOptions = {
    configPath: options.config,
    cwd: options.cwd ?? process.cwd(),
    env,
    probeOllama: options.probeOllama ?? (() => probeOllama()),
    demo: () => {
      // The mock providers (src/testing) are loaded only when the demo runs.
      demo ??= import("./demo-providers.js").then((module) => module.startDemoProviders());
      return demo;
    },
  };
  // One key for the process: a reload of the demo keeps the dashboard signed in.
  let generated: string | undefined;
  let dashboard: DemoDashboard | undefined;
  const resolveWithDashboard = async (): Promise<ResolvedConfig> => {
    const next = await resolveConfig(resolveOptions);
    if (next.source !== "demo") return next;
    const on = withDemoDashboard(next.loaded, options.host, () => {
      generated ??= newDemoAdminKey();
      return generated;
    });
    dashboard = on.dashboard;
    return { ...next, loaded: on.loaded };
  };
  let resolved: ResolvedConfig;
  try {
    resolved = await resolveWithDashboard();
  } catch (error) {
    await (await demo)?.close();
    throw error;
  }
  const logger = options.logger ?? createLogger({ level: resolved.loaded.config.logging.level });
  logResolved(logger, resolved);
  let source = resolved.source;
  const gateway = new Gateway(resolved.loaded, {
    logger,
    providerTypes: await loadProviderModules(resolved.loaded),
    readiness: () =>
      source === "demo" ? { demo: true, config: "built-in demo over mock providers" } : undefined,
  });
  let url: string;
  try {
    url = await gateway.listen({ host: options.host, port: options.port });
  } catch (error) {
    await gateway.close(0);
    await (await demo)?.close();
    throw error;
  }
  const listening = { ...resolved.loaded.config.server };
  logger.info(
    { url, source, file: resolved.loaded.file, demo: source === "demo", ...routeCounts(gateway) },
    source === "demo"
      ? `switchyard listening on ${url} (DEMO MODE)`
      : `switchyard listening on ${url}`,
  );
  if (source === "demo") {
    logger.warn(
      { demo: true },
      "DEMO MODE: no API key and no local Ollama found; serving model smart over two mock providers (demo-primary fails now and then)",
    );
    const banner = demoBanner(url, dashboard ?? { kind: "configured" });
    (options.writeBanner ?? ((text) => void process.stderr.write(text)))(banner);
  }

  let queue: Promise<unknown> = Promise.resolve();
  const reload = (reason: string): Promise<boolean> => {
    const run = queue.then(async () => {
      let next: ResolvedConfig;
      try {
        next = await resolveWithDashboard();
      } catch (error) {
        if (!isConfigError(error)) throw error;
        logProblems(logger, error.file, error.problems, "error");
        logger.error(
          { reason, file: error.file, problems: error.problems.length },
          `config refused (${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}); still serving the previous config`,
        );
        return false;
      }
      await gateway.reload(next.loaded, await loadProviderModules(next.loaded));
      source = next.source;
      logger.level = next.loaded.config.logging.level;
      logResolved(logger, next);
      warnAboutAddress(logger, listening, next.loaded, options);
      logger.info(
        { reason, source, file: next.loaded.file, ...routeCounts(gateway) },
        "config reloaded",
      );
      return true;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const logFailure = (error: unknown) =>
    logger.error(
      { error: error instanceof Error ? error.message : String(error) },
      "reload failed",
    );
  const stopWatching =
    options.watch !== false && resolved.watchPath !== undefined
      ? watchConfigFile(resolved.watchPath, () => void reload("file changed").catch(logFailure), {
          debounceMs: options.watchDebounceMs,
          onError: (error) =>
            logger.warn({ error: String(error) }, "stopped watching the config file"),
        })
      : () => undefined;
  let closing: Promise<void> | undefined;
  return {
    url,
    gateway,
    logger,
    get source() {
      return source;
    },
    reload,
    close: () => {
      closing ??= (async () => {
        stopWatching();
        await queue;
        await gateway.close(gateway.state.config.server.shutdownGraceMs);
        await (await demo)?.close();
        if (!options.logger) await new Promise<void>((resolve) => logger.flush(() => resolve()));
      })();
      return closing;
    },
  };
}

function logResolved(logger: Logger, resolved: ResolvedConfig): void {
  for (const note of resolved.notes) logger.warn({ source: resolved.source }, note);
  logProblems(logger, resolved.loaded.file, resolved.loaded.warnings, "warn");
}

/** One line per problem, formatted `file:line:column path: message`. */
export function logProblems(
  logger: Logger,
  file: string,
  problems: readonly ConfigProblem[],
  level: "warn" | "error",
): void {
  for (const problem of problems) {
    logger[level](
      { file, line: problem.line, column: problem.column, path: problem.path },
      formatConfigProblem(file, problem, level === "warn" ? "warning" : undefined),
    );
  }
}

function routeCounts(gateway: Gateway): Record<string, unknown> {
  const { config, skippedProviders } = gateway.state;
  return {
    providers: config.providers.map((provider) => provider.name),
    skippedProviders,
    models: [...gateway.state.router.routes.keys()],
  };
}

function warnAboutAddress(
  logger: Logger,
  listening: { host: string; port: number },
  next: LoadedConfig,
  options: ServeOptions,
): void {
  const { host, port } = next.config.server;
  if (
    (options.host === undefined && host !== listening.host) ||
    (options.port === undefined && port !== listening.port)
  ) {
    logger.warn(
      { host, port },
      `server address changed to ${host}:${port}; restart to listen there (still on ${listening.host}:${listening.port})`,
    );
  }
}
