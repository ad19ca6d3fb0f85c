import { isAbsolute, resolve } from "node:path";
import { PostgresDatabase, type PostgresDatabaseOptions } from "./postgres-database.js";
import { SqlTraceStore, type SqlTraceStoreOptions } from "./sql-trace-store.js";
import { SqliteDatabase } from "./sqlite-database.js";
import type { TraceStore } from "./trace-store.js";

export interface CreateTraceStoreOptions extends SqlTraceStoreOptions {
  /** `sqlite:<file>` (`sqlite::memory:` for a private in-memory one) or `postgres://...`. */
  url: string;
  /** Where a relative SQLite file is; default the working directory. */
  baseDir?: string;
  /** SQLite: how long a write waits for another process's lock. Default 100. */
  busyTimeoutMs?: number;
  /** PostgreSQL connection settings. */
  postgres?: Omit<PostgresDatabaseOptions, "url" | "onError">;
}

/**
 * A trace store for `database.url`. Nothing connects yet: the schema is migrated on first use, so a
 * database that is down at start-up only delays the first write.
 */
export function createTraceStore(options: CreateTraceStoreOptions): TraceStore {
  const { url } = options;
  if (url.startsWith("sqlite:")) {
    const file = sqliteFile(url, options.baseDir ?? process.cwd());
    const busyTimeoutMs = options.busyTimeoutMs;
    return new SqlTraceStore(new SqliteDatabase({ file, busyTimeoutMs }), options);
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    const database = new PostgresDatabase({
      ...options.postgres,
      url,
      onError: (error) => options.onError?.(error),
    });
    return new SqlTraceStore(database, options);
  }
  const scheme = url.split(":")[0] ?? "";
  throw new RangeError(
    `database url must start with sqlite: or postgres://, got '${scheme.slice(0, 20)}:...'`,
  );
}

/** The file of a `sqlite:` URL: `sqlite:./traces.db`, `sqlite:/var/lib/x.db`, `sqlite:///var/lib/x.db`. */
export function sqliteFile(url: string, baseDir: string): string {
  let path = url.slice("sqlite:".length);
  if (path.startsWith("//")) path = path.slice(2);
  if (path === "")
    throw new RangeError("a sqlite: database url needs a file, e.g. sqlite:./traces.db");
  if (path === ":memory:") return path;
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
