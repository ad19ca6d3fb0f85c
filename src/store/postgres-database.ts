import { createRequire } from "node:module";
import type pg from "pg";
import type {
  ColumnType,
  SqlDatabase,
  SqlDialect,
  SqlExecutor,
  SqlRow,
  SqlValue,
} from "./sql-database.js";

const COLUMN_TYPES: Record<ColumnType, string> = {
  text: "TEXT",
  integer: "INTEGER",
  bigint: "BIGINT",
  real: "DOUBLE PRECISION",
  boolean: "BOOLEAN",
};

export const POSTGRES_DIALECT: SqlDialect = {
  name: "postgres",
  placeholder: (index) => `$${index}`,
  columnType: (type) => COLUMN_TYPES[type],
  bind: (value) => value,
};

/**
 * pg, loaded when a database is constructed rather than imported: a gateway without a PostgreSQL
 * `database.url` never pays its memory.
 */
const loadPg = (): typeof pg => createRequire(import.meta.url)("pg") as typeof pg;

/** The advisory lock migrators hold (any fixed number; this one spells "SWYD"). */
const MIGRATION_LOCK_KEY = 0x53575944;

export interface PostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Connections in the pool. Default 4. */
  maxConnections?: number;
  /** How long to wait for a connection before a query fails. Default 5000. */
  connectTimeoutMs?: number;
  /** How long one statement may run on the server. Default 30000. */
  statementTimeoutMs?: number;
  /** Told when a connection fails outside a query (the server went away); must not throw. */
  onError?: (error: unknown) => void;
}

/** PostgreSQL through a `pg` pool, which connects on first use and reconnects after an outage. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = POSTGRES_DIALECT;
  private readonly pool: pg.Pool;

  constructor(private readonly options: PostgresDatabaseOptions) {
    const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
    const { Pool } = loadPg();
    this.pool = new Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: statementTimeoutMs,
      // Past the server's own limit, a query on a connection that went silent fails here too.
      query_timeout: statementTimeoutMs + 5000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle connection that breaks emits "error"; unheard, it would crash the process.
    this.pool.on("error", (error) => this.report(error));
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const result = await this.pool.query(sql, [...params]);
    return result.rows as SqlRow[];
  }

  async transaction<T>(work: (executor: SqlExecutor) => Promise<T>, exclusive = false): Promise<T> {
    const client = await this.pool.connect();
    const onError = (error: unknown) => this.report(error);
    client.on("error", onError);
    const executor: SqlExecutor = {
      query: async (sql, params = []) => (await client.query(sql, [...params])).rows as SqlRow[],
    };
    let failure: Error | undefined;
    try {
      await client.query("BEGIN");
      if (exclusive) await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      const result = await work(executor);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.removeListener("error", onError);
      // A connection that failed mid-transaction is discarded rather than reused.
      client.release(failure);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // Listeners must not throw; if one does, the error stays here.
    }
  }
}
