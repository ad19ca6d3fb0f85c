import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { reserveClosedPort } from "../../src/testing/reserve-closed-port.js";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";

/** A database the store suite runs against, with a way to make it unavailable and back. */
export interface StoreBackend {
  name: "sqlite" | "postgres";
  /** Before the suite (starts the server). */
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A fresh, empty database. */
  newUrl(): Promise<string>;
  /** A database that cannot be reached or opened at all. */
  unreachableUrl(): Promise<string>;
  /** Makes `url` unusable for writes until `endOutage`. */
  beginOutage(url: string): Promise<void>;
  endOutage(): Promise<void>;
}

/** SQLite files in a temp folder; an outage is another connection holding the write lock. */
export function sqliteBackend(): StoreBackend {
  let folder = "";
  let files = 0;
  let locker: Database.Database | undefined;
  return {
    name: "sqlite",
    async setUp() {
      folder = await mkdtemp(join(tmpdir(), "switchyard-sqlite-"));
    },
    async tearDown() {
      locker?.close();
      await rm(folder, { recursive: true, force: true });
    },
    async newUrl() {
      files++;
      return `sqlite:${join(folder, `traces-${files}.db`)}`;
    },
    async unreachableUrl() {
      const notAFolder = join(folder, "not-a-folder");
      await writeFile(notAFolder, "");
      return `sqlite:${join(notAFolder, "traces.db")}`;
    },
    async beginOutage(url) {
      locker = new Database(url.slice("sqlite:".length));
      locker.exec("BEGIN EXCLUSIVE");
    },
    async endOutage() {
      locker?.exec("COMMIT");
      locker?.close();
      locker = undefined;
    },
  };
}

/** A PostgreSQL server of the suite's own; an outage stops it, and it comes back on the same port. */
export function postgresBackend(): StoreBackend {
  let server: PostgresServer | undefined;
  const running = () => {
    if (!server) throw new Error("the PostgreSQL test server is not started");
    return server;
  };
  return {
    name: "postgres",
    async setUp() {
      server = await startPostgresServer();
    },
    async tearDown() {
      await server?.destroy();
    },
    newUrl: () => running().createDatabase(),
    unreachableUrl: async () =>
      `postgres://postgres@127.0.0.1:${await reserveClosedPort()}/postgres`,
    beginOutage: () => running().stop(),
    endOutage: () => running().start(),
  };
}

export const BACKENDS: readonly (() => StoreBackend)[] = [sqliteBackend, postgresBackend];
