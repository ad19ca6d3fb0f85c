import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type Database from "better-sqlite3";
import type {
  ColumnType,
  SqlDatabase,
  SqlDialect,
  SqlExecutor,
  SqlRow,
  SqlValue,
} from "./sql-database.js";

export const SQLITE_DIALECT: SqlDialect = {
  name: "sqlite",
  placeholder: () => "?",
  columnType: (type: ColumnType) =>
    type === "text" ? "TEXT" : type === "real" ? "REAL" : "INTEGER",
  bind: (value: SqlValue) => (typeof value === "boolean" ? (value ? 1 : 0) : value),
};

export interface SqliteDatabaseOptions {
  /** The database file, created with its folder when missing; `:memory:` for a private one. */
  file: string;
  /**
   * How long a write waits for another process's lock before failing. The driver is synchronous, so
   * this wait blocks the event loop: keep it short. Default 100.
   */
  busyTimeoutMs?: number;
}

const MAX_CACHED_STATEMENTS = 200;

/**
 * better-sqlite3, loaded when a database is constructed rather than imported: a gateway without a
 * SQLite `database.url` never loads it.
 */
const loadSqlite = (): typeof Database =>
  createRequire(import.meta.url)("better-sqlite3") as typeof Database;

/**
 * The tail of the transactions queued on each file by this process. Two connections of one process
 * must not interleave transactions: the second would wait for the lock synchronously, blocking the
 * very event loop the first needs to finish (two stores on one file happen across a config reload).
 */
const fileQueues = new Map<string, Promise<unknown>>();
let memoryDatabases = 0;

/**
 * An embedded SQLite file through better-sqlite3 (synchronous: each batch is one short transaction
 * on the event loop). Opened on first use, so a bad path fails the first write, not the caller.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = SQLITE_DIALECT;
  private connection: Database.Database | undefined;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly queueKey: string;
  private readonly driver = loadSqlite();
  private closed = false;

  constructor(private readonly options: SqliteDatabaseOptions) {
    this.queueKey =
      options.file === ":memory:" ? `:memory:${++memoryDatabases}` : resolve(options.file);
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.run(sql, params);
  }

  transaction<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T> {
    const tail = fileQueues.get(this.queueKey) ?? Promise.resolve();
    const next = tail.then(async () => {
      const database = this.open();
      // IMMEDIATE takes the write lock up front, so two processes migrating serialise.
      database.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(this);
        database.exec("COMMIT");
        return result;
      } catch (error) {
        if (database.inTransaction) database.exec("ROLLBACK");
        throw error;
      }
    });
    const settled = next.catch(() => undefined);
    fileQueues.set(this.queueKey, settled);
    settled.then(() => {
      if (fileQueues.get(this.queueKey) === settled) fileQueues.delete(this.queueKey);
    });
    return next;
  }

  async close(): Promise<void> {
    await fileQueues.get(this.queueKey);
    this.closed = true;
    this.statements.clear();
    this.connection?.close();
    this.connection = undefined;
  }

  private run(sql: string, params: readonly SqlValue[]): SqlRow[] {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.open().prepare(sql);
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      this.statements.set(sql, statement);
    }
    if (statement.reader) return statement.all(...params) as SqlRow[];
    statement.run(...params);
    return [];
  }

  private open(): Database.Database {
    if (this.closed) throw new Error(`the SQLite database ${this.options.file} is closed`);
    if (this.connection) return this.connection;
    const { file } = this.options;
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    const connection = new this.driver(file, { timeout: this.options.busyTimeoutMs ?? 100 });
    try {
      connection.pragma("journal_mode = WAL");
      connection.pragma("synchronous = NORMAL");
      connection.pragma("foreign_keys = ON");
    } catch (error) {
      connection.close();
      throw error;
    }
    this.connection = connection;
    return connection;
  }
}
