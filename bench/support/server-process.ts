import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SequentialProvider } from "./sequential-fallback.js";

/** What a benchmark child process serves. */
export type ServerSpec =
  /** The mock provider server: a short reply, or `streamChunks` deltas when the request streams. */
  | { kind: "mock"; streamChunks: number }
  /** The minimal pass-through proxy in front of `upstreamUrl`. */
  | { kind: "proxy"; upstreamUrl: string }
  /** `switchyard serve` on this config (YAML or JSON text); logs go to the child's stdout. */
  | { kind: "switchyard"; configText: string }
  /** The sequential fallback baseline. */
  | {
      kind: "sequential";
      models: Record<string, SequentialProvider[]>;
      attemptTimeoutMs?: number;
    };

export interface ServerProcessOptions {
  spec: ServerSpec;
  /**
   * The child entry compiled to JavaScript (`compileForNode(SERVER_CHILD_ENTRY)`), run on plain
   * node. Default: the TypeScript entry through tsx, whose loader thread adds about 50 MB of RSS.
   */
  compiledEntry?: string;
  /** Record every upstream request the child makes (undici's diagnostics channel). */
  trackUpstream?: boolean;
  /** Write a V8 CPU profile of the child into this folder when it exits. */
  cpuProfileDir?: string;
  /** Node and V8 options for the child, e.g. `--max-semi-space-size=4`. */
  execArgv?: readonly string[];
  /** Where the child's stdout goes: discarded (default) or inherited. */
  stdout?: "ignore" | "inherit";
}

/** One upstream HTTP request made by the child, as undici created it. */
export interface UpstreamCall {
  /** Epoch milliseconds (fractional), comparable with the parent's `epochMs()`. */
  at: number;
  origin: string;
  path: string;
  /** The credential it carried (`authorization` bearer or `x-api-key`), if any. */
  key: string | undefined;
}

export interface ProcessStats {
  /** CPU time since the child started, microseconds. */
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory of C++ objects bound to JavaScript ones, array buffers included. */
  externalBytes: number;
  /** Upstream requests since the previous `stats()` (when tracking is on). */
  upstream: UpstreamCall[];
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  stats(): Promise<ProcessStats>;
  /** Asks the child to close its server and exit (writing its CPU profile, if any). */
  close(): Promise<void>;
}

/** Messages between a benchmark parent and its server child. */
export type ParentMessage = { type: "stats"; id: number } | { type: "close" };
export type ChildMessage =
  | { type: "ready"; url: string }
  | { type: "failed"; message: string }
  | ({ type: "stats"; id: number } & ProcessStats);

/** Now, in epoch milliseconds with sub-millisecond precision (the same clock in every process). */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The TypeScript entry of benchmark server processes. */
export const SERVER_CHILD_ENTRY = fileURLToPath(new URL("./server-child.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Forks `bench/support/server-child.ts` (through tsx) and waits until its server listens. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const execArgv = options.compiledEntry ? [] : ["--import", "tsx"];
  execArgv.push(...(options.execArgv ?? []));
  if (options.cpuProfileDir) execArgv.push("--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child = fork(
    options.compiledEntry ?? SERVER_CHILD_ENTRY,
    [JSON.stringify({ spec: options.spec, trackUpstream: options.trackUpstream ?? false })],
    {
      cwd: REPO_ROOT,
      execArgv,
      stdio: ["ignore", options.stdout ?? "ignore", "inherit", "ipc"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the ${options.spec.kind} server process exited early (code ${code})`));
    child.once("exit", onExit);
    child.once("error", reject);
    child.on("message", function onReady(message: ChildMessage) {
      if (message.type === "ready") resolve(message.url);
      else if (message.type === "failed") reject(new Error(message.message));
      else return;
      child.off("message", onReady);
      child.off("exit", onExit);
      child.off("error", reject);
    });
  });
  return new ChildServer(child, url);
}

class ChildServer implements ServerProcess {
  #nextId = 1;
  #exited: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.#exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  stats(): Promise<ProcessStats> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== "stats" || message.id !== id) return;
        this.child.off("message", onMessage);
        const { type: _type, id: _id, ...stats } = message;
        resolve(stats);
      };
      this.child.on("message", onMessage);
      this.child.send({ type: "stats", id } satisfies ParentMessage, (error) => {
        if (error) {
          this.child.off("message", onMessage);
          reject(error);
        }
      });
    });
  }

  async close(): Promise<void> {
    if (this.child.connected) this.child.send({ type: "close" } satisfies ParentMessage);
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await this.#exited;
    clearTimeout(killer);
  }
}
