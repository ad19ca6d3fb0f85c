import { createKeyTablesSql } from "./key-store.js";
import {
  ATTEMPTS_TABLE,
  createIndexSql,
  createTableSql,
  REQUEST_INDEXES,
  REQUESTS_TABLE,
  renameColumnsSql,
  TARGET_ID_VERSION,
} from "./schema.js";
import type { SqlDatabase, SqlDialect } from "./sql-database.js";
import { createResponsesTableSql } from "./sql-response-store.js";

/** One step of the schema's history. Released migrations never change; new ones are appended. */
export interface Migration {
  version: number;
  name: string;
  statements(dialect: SqlDialect): string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "requests and attempts",
    statements: (dialect) => [
      createTableSql(REQUESTS_TABLE, dialect, 1),
      createTableSql(ATTEMPTS_TABLE, dialect, 1),
      ...REQUEST_INDEXES.map(createIndexSql),
    ],
  },
  {
    version: TARGET_ID_VERSION,
    name: "target renamed target_id",
    statements: () => [
      ...renameColumnsSql(REQUESTS_TABLE, TARGET_ID_VERSION),
      ...renameColumnsSql(ATTEMPTS_TABLE, TARGET_ID_VERSION),
    ],
  },
  {
    version: 3,
    name: "stored responses",
    statements: (dialect) => createResponsesTableSql({ dialect }),
  },
  {
    version: 4,
    name: "virtual keys, teams and the admin audit log",
    statements: createKeyTablesSql,
  },
];

export const MIGRATIONS_TABLE = "switchyard_migrations";

/**
 * Applies the migrations the database has not seen, each recorded in `switchyard_migrations`, all in
 * one transaction that excludes other migrators. Returns the versions applied (none when up to date).
 */
export async function runMigrations(
  database: SqlDatabase,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const { dialect } = database;
  return database.transaction(async (executor) => {
    await executor.query(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version ${dialect.columnType("integer")} PRIMARY KEY, name ${dialect.columnType("text")} NOT NULL, applied_at ${dialect.columnType("bigint")} NOT NULL)`,
    );
    const rows = await executor.query(`SELECT version FROM ${MIGRATIONS_TABLE}`);
    const seen = new Set(rows.map((row) => Number(row.version)));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (seen.has(migration.version)) continue;
      for (const statement of migration.statements(dialect)) await executor.query(statement);
      await executor.query(
        `INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (${dialect.placeholder(1)}, ${dialect.placeholder(2)}, ${dialect.placeholder(3)})`,
        [migration.version, migration.name, Date.now()],
      );
      applied.push(migration.version);
    }
    return applied;
  }, true);
}
