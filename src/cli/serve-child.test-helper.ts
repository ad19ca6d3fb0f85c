import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { LogCapture } from "./log-capture.test-helper.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** `switchyard serve` in a child process (through tsx), with its stdout log lines captured. */
export interface ServeChild {
  readonly child: ChildProcess;
  readonly logs: LogCapture;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** The URL from the "switchyard listening" line. */
  url(): Promise<string>;
  /** SIGKILL, unless it has exited already. */
  kill(): void;
}

/** Starts `node --import tsx src/cli/main.ts <args>` in the repository, with only `env` set. */
export function spawnServeChild(args: string[], env: Record<string, string> = {}): ServeChild {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs = new LogCapture();
  let pending = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const end = pending.lastIndexOf("\n");
    if (end === -1) return;
    logs.push(pending.slice(0, end));
    pending = pending.slice(end + 1);
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return {
    child,
    logs,
    exited,
    url: async () => {
      const line = await Promise.race([
        logs.waitFor((entry) => entry.msg.startsWith("switchyard listening")),
        exited.then((code) => {
          throw new Error(`serve exited (${code}) before listening: ${stderr.slice(-2000)}`);
        }),
      ]);
      return String(line.url);
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, "SIGKILL");
      }
    },
  };
}
