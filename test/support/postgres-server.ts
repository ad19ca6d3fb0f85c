import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * A throwaway PostgreSQL server for tests, from the machine's own binaries: `initdb` into a temp
 * folder, `pg_ctl start` on a free loopback port, stopped by its PID. As root (initdb refuses root)
 * it runs as the `postgres` user through `runuser`.
 */
export interface PostgresServer {
  readonly port: number;
  /** The admin URL (database `postgres`, user `postgres`, trust auth on 127.0.0.1). */
  readonly url: string;
  /** The postmaster's PID while running. */
  readonly pid: number | undefined;
  /** A new empty database; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same data and port, after `stop`. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

const run = promisify(execFile);
const SERVER_SETTINGS = [
  "-c listen_addresses=127.0.0.1",
  "-c fsync=off",
  "-c synchronous_commit=off",
  "-c full_page_writes=off",
  "-c max_connections=40",
  "-c shared_buffers=16MB",
];

export async function startPostgresServer(): Promise<PostgresServer> {
  const binDir = await findBinDir();
  const runAs = await serverUser();
  const folder = await mkdtemp(join(tmpdir(), "switchyard-pg-"));
  if (runAs) await chown(folder, runAs.uid, runAs.gid);
  const dataDir = join(folder, "data");
  const port = await freePort();
  const command = (name: string, args: string[]) => {
    const binary = join(binDir, name);
    return runAs ? run("runuser", ["-u", runAs.name, "--", binary, ...args]) : run(binary, args);
  };
  await command("initdb", [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "-A",
    "trust",
    "--no-sync",
    "--no-locale",
    "-E",
    "UTF8",
  ]);

  let pid: number | undefined;
  let databases = 0;
  const start = async () => {
    const options = [...SERVER_SETTINGS, `-p ${port}`, `-k ${folder}`].join(" ");
    const log = join(folder, "server.log");
    await command("pg_ctl", ["-D", dataDir, "-o", options, "-l", log, "-w", "-t", "60", "start"]);
    const firstLine = (await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0];
    pid = Number(firstLine);
    if (!Number.isInteger(pid) || pid <= 0) {
      throw new Error(`postgres started but postmaster.pid holds '${firstLine}'`);
    }
    liveServers.add(pid);
  };
  const stop = async () => {
    if (pid === undefined) return;
    const stopping = pid;
    pid = undefined;
    liveServers.delete(stopping);
    signal(stopping, "SIGINT"); // fast shutdown: disconnect clients, then exit
    if (!(await exited(stopping, 15_000))) {
      signal(stopping, "SIGQUIT");
      await exited(stopping, 5_000);
    }
  };

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await start();
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url,
    get pid() {
      return pid;
    },
    async createDatabase() {
      databases++;
      const name = `test_${databases}_${process.pid}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async destroy() {
      await stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Servers still running, killed if the test process exits without stopping them. */
const liveServers = new Set<number>();
process.once("exit", () => {
  for (const pid of liveServers) signal(pid, "SIGQUIT");
});

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Waits (polling) for a process to be gone; false if it is still there after `timeoutMs`. */
async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

/** A folder with `initdb`, `pg_ctl` and `postgres`: the newest /usr/lib/postgresql/N/bin, or PATH. */
async function findBinDir(): Promise<string> {
  const candidates: string[] = [];
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = (await readdir(root)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(root, version, "bin")));
  }
  candidates.push("/usr/local/bin", ...(process.env.PATH ?? "").split(":").filter(Boolean));
  const found = candidates.find((dir) =>
    ["initdb", "pg_ctl", "postgres"].every((name) => existsSync(join(dir, name))),
  );
  if (!found) {
    throw new Error(
      `no PostgreSQL server binaries (initdb, pg_ctl, postgres) in ${candidates.slice(0, 4).join(", ")} or PATH`,
    );
  }
  return found;
}

/** As root, the unprivileged user to run the server as; otherwise undefined (run as ourselves). */
async function serverUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const name = "postgres";
  try {
    const uid = Number((await run("id", ["-u", name])).stdout.trim());
    const gid = Number((await run("id", ["-g", name])).stdout.trim());
    return { name, uid, gid };
  } catch {
    throw new Error(
      "running as root, and initdb refuses root: create a 'postgres' user to run the test server as",
    );
  }
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
