import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throwaway Redis for tests: `redis-server` on a free loopback port with no persistence, in a temp
 * folder, stopped by its PID. Never the machine's own instance on 6379.
 */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The server's PID while running. */
  readonly pid: number | undefined;
  /** Kills the server (SIGKILL: a crash, as far as clients can tell) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted), after `stop`. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
  /** Sends one command (inline protocol) and resolves with the raw reply. */
  command(...words: string[]): Promise<string>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const folder = await mkdtemp(join(tmpdir(), "switchyard-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"];
    args.push("no", "--dir", folder, "--protected-mode", "no");
    const spawned = spawn("redis-server", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    spawned.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const failed = new Promise<never>((_, reject) => {
      spawned.once("error", (error) =>
        reject(new Error(`cannot start redis-server (is it installed?): ${error.message}`)),
      );
      spawned.once("exit", (code) =>
        reject(new Error(`redis-server exited (${code}) on port ${port}: ${stderr.slice(-500)}`)),
      );
    });
    failed.catch(() => undefined);
    child = spawned;
    if (spawned.pid !== undefined) liveServers.add(spawned.pid);
    await Promise.race([waitForPong(port, 10_000), failed]);
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.pid === undefined) return;
    liveServers.delete(running.pid);
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    process.kill(running.pid, "SIGKILL");
    await exited;
  };

  try {
    await start();
  } catch (error) {
    await stop();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    stop,
    start,
    async destroy() {
      await stop();
      await rm(folder, { recursive: true, force: true });
    },
    command: (...words) => send(port, words),
  };
}

/** Servers still running, killed if the test process exits without stopping them. */
const liveServers = new Set<number>();
process.once("exit", () => {
  for (const pid of liveServers) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await send(port, ["PING"])).startsWith("+PONG")) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} never answered PONG`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One command in RESP, one reply (read until the socket has been quiet briefly). */
function send(port: number, words: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.setEncoding("utf8");
    socket.setTimeout(2000, () => socket.destroy(new Error(`redis on port ${port} timed out`)));
    socket.on("connect", () => {
      const parts = words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`);
      socket.write(`*${words.length}\r\n${parts.join("")}`);
    });
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (reply.endsWith("\r\n")) socket.end();
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(reply));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, exclusive: true }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
