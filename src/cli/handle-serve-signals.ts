import type { RunningServer } from "./serve-command.js";

export interface HandleServeSignalsOptions {
  /** Ends the process; default `process.exit`. */
  exit?: (code: number) => void;
  /** Where signals come from; default `process`. */
  signals?: Pick<NodeJS.Process, "on" | "off">;
}

/**
 * SIGTERM / SIGINT: drain (in-flight requests and streams get `server.shutdownGraceMs`) and exit 0; a
 * second one while draining exits 1 at once. SIGHUP: reload the config (a bad one is refused and the
 * current one keeps serving). Returns a function that removes the handlers.
 */
export function handleServeSignals(
  server: RunningServer,
  options: HandleServeSignalsOptions = {},
): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? process;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      server.logger.warn({ signal }, `${signal} again while draining: exiting now`);
      exit(1);
      return;
    }
    stopping = true;
    const graceMs = server.gateway.state.config.server.shutdownGraceMs;
    server.logger.info({ signal, graceMs }, `${signal}: draining in-flight requests, then exiting`);
    server.close().then(
      () => {
        server.logger.info({ signal }, "switchyard stopped");
        exit(0);
      },
      (error: unknown) => {
        server.logger.error({ error: String(error) }, "shutdown failed");
        exit(1);
      },
    );
  };
  const hangUp = () => {
    if (!stopping) server.reload("SIGHUP").catch(() => undefined);
  };
  signals.on("SIGTERM", stop);
  signals.on("SIGINT", stop);
  signals.on("SIGHUP", hangUp);
  return () => {
    signals.off("SIGTERM", stop);
    signals.off("SIGINT", stop);
    signals.off("SIGHUP", hangUp);
  };
}
