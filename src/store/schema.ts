import type { ColumnType, SqlDialect } from "./sql-database.js";

/**
 * The one schema both databases share, as data: each column names the trace field it holds. A
 * column added later gets `addedIn: <its migration's version>` and a migration that adds it; a
 * column renamed later keeps its old name in `renamed` and gets a migration that renames it. The
 * tables migration 1 creates stay as they were.
 */
export interface ColumnSpec {
  column: string;
  /** The property of the trace (or attempt) the column holds. */
  field: string;
  type: ColumnType;
  notNull?: boolean;
  /** The migration that added the column; default 1. */
  addedIn?: number;
  /** The column's name before the migration `in` renamed it. */
  renamed?: { from: string; in: number };
}

export interface TableSpec {
  name: string;
  columns: readonly ColumnSpec[];
  primaryKey: readonly string[];
  foreignKey?: { columns: readonly string[]; references: string; onDelete: "CASCADE" };
}

/** The migration that renamed the `target` columns `target_id` (the engine's target id). */
export const TARGET_ID_VERSION = 2;

export const REQUESTS_TABLE: TableSpec = {
  name: "switchyard_requests",
  primaryKey: ["id"],
  columns: [
    { column: "id", field: "id", type: "text", notNull: true },
    { column: "started_at", field: "startedAt", type: "bigint", notNull: true },
    { column: "client", field: "client", type: "text" },
    { column: "model", field: "model", type: "text" },
    { column: "protocol", field: "protocol", type: "text", notNull: true },
    { column: "stream", field: "stream", type: "boolean", notNull: true },
    { column: "outcome", field: "outcome", type: "text", notNull: true },
    { column: "status", field: "status", type: "integer" },
    { column: "error_class", field: "errorClass", type: "text" },
    { column: "error_message", field: "errorMessage", type: "text" },
    {
      column: "target_id",
      field: "targetId",
      type: "text",
      renamed: { from: "target", in: TARGET_ID_VERSION },
    },
    { column: "provider", field: "provider", type: "text" },
    { column: "upstream_model", field: "upstreamModel", type: "text" },
    { column: "cached", field: "cached", type: "boolean" },
    { column: "latency_ms", field: "latencyMs", type: "real", notNull: true },
    { column: "first_byte_ms", field: "firstByteMs", type: "real" },
    { column: "input_tokens", field: "inputTokens", type: "bigint" },
    { column: "output_tokens", field: "outputTokens", type: "bigint" },
    { column: "cached_input_tokens", field: "cachedInputTokens", type: "bigint" },
    { column: "cost_usd", field: "costUsd", type: "real" },
    { column: "attempt_count", field: "attemptCount", type: "integer", notNull: true },
    { column: "prompt", field: "prompt", type: "text" },
    { column: "completion", field: "completion", type: "text" },
  ],
};

export const ATTEMPTS_TABLE: TableSpec = {
  name: "switchyard_attempts",
  primaryKey: ["request_id", "position"],
  foreignKey: {
    columns: ["request_id"],
    references: "switchyard_requests(id)",
    onDelete: "CASCADE",
  },
  columns: [
    { column: "request_id", field: "requestId", type: "text", notNull: true },
    { column: "position", field: "position", type: "integer", notNull: true },
    {
      column: "target_id",
      field: "targetId",
      type: "text",
      notNull: true,
      renamed: { from: "target", in: TARGET_ID_VERSION },
    },
    { column: "provider", field: "provider", type: "text" },
    { column: "key_id", field: "keyId", type: "text" },
    { column: "upstream_model", field: "upstreamModel", type: "text" },
    { column: "outcome", field: "outcome", type: "text", notNull: true },
    { column: "attempt", field: "attempt", type: "integer" },
    { column: "hedge", field: "hedge", type: "boolean" },
    { column: "error_kind", field: "errorKind", type: "text" },
    { column: "status", field: "status", type: "integer" },
    { column: "started_after_ms", field: "startedAfterMs", type: "real" },
    { column: "latency_ms", field: "latencyMs", type: "real" },
    { column: "skipped_reason", field: "skippedReason", type: "text" },
    { column: "message", field: "message", type: "text" },
  ],
};

export interface IndexSpec {
  name: string;
  table: string;
  columns: readonly string[];
}

/** Listing newest first, overall and by client, model, provider and status; spend by client. */
export const REQUEST_INDEXES: readonly IndexSpec[] = [
  { name: "switchyard_requests_started_at", table: REQUESTS_TABLE.name, columns: ["started_at"] },
  ...["client", "model", "provider", "status"].map((column) => ({
    name: `switchyard_requests_${column}`,
    table: REQUESTS_TABLE.name,
    columns: [column, "started_at"],
  })),
];

/** `CREATE TABLE IF NOT EXISTS` for the columns that exist as of migration `version`. */
export function createTableSql(table: TableSpec, dialect: SqlDialect, version = 1): string {
  const lines = table.columns
    .filter((column) => (column.addedIn ?? 1) <= version)
    .map(
      (column) =>
        `${columnNameAt(column, version)} ${dialect.columnType(column.type)}${column.notNull ? " NOT NULL" : ""}`,
    );
  lines.push(`PRIMARY KEY (${table.primaryKey.join(", ")})`);
  const foreignKey = table.foreignKey;
  if (foreignKey) {
    lines.push(
      `FOREIGN KEY (${foreignKey.columns.join(", ")}) REFERENCES ${foreignKey.references} ON DELETE ${foreignKey.onDelete}`,
    );
  }
  return `CREATE TABLE IF NOT EXISTS ${table.name} (\n  ${lines.join(",\n  ")}\n)`;
}

/** The column's name as of migration `version`. */
function columnNameAt(column: ColumnSpec, version: number): string {
  return column.renamed && version < column.renamed.in ? column.renamed.from : column.column;
}

/** `ALTER TABLE ... RENAME COLUMN` for each column of `table` that migration `version` renames. */
export function renameColumnsSql(table: TableSpec, version: number): string[] {
  return table.columns
    .filter((column) => column.renamed?.in === version)
    .map(
      (column) =>
        `ALTER TABLE ${table.name} RENAME COLUMN ${column.renamed?.from} TO ${column.column}`,
    );
}

export function createIndexSql(index: IndexSpec): string {
  return `CREATE INDEX IF NOT EXISTS ${index.name} ON ${index.table} (${index.columns.join(", ")})`;
}
