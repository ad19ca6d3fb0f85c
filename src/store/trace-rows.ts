import {
  type AttemptTrace,
  countAttempts,
  type RequestDetail,
  type RequestSummary,
  type RequestTrace,
} from "./request-trace.js";
import { ATTEMPTS_TABLE, type ColumnSpec, REQUESTS_TABLE, type TableSpec } from "./schema.js";
import type { SqlDialect, SqlExecutor, SqlRow, SqlValue } from "./sql-database.js";

/** Most parameters one statement carries (SQLite allows 32766, PostgreSQL 65535). */
const MAX_PARAMS_PER_STATEMENT = 30_000;

const CONTENT_FIELDS = new Set(["prompt", "completion"]);

/** The request columns a listing reads: everything but the content. */
export const SUMMARY_COLUMNS = REQUESTS_TABLE.columns.filter(
  (column) => !CONTENT_FIELDS.has(column.field),
);

/** Inserts a batch of traces (requests, then their attempts); rows already stored are left alone. */
export async function insertTraces(
  executor: SqlExecutor,
  dialect: SqlDialect,
  traces: readonly RequestTrace[],
  storeContent: boolean,
): Promise<void> {
  const requestRows = traces.map((trace) => requestRow(trace, storeContent));
  const attemptRows = traces.flatMap((trace) =>
    trace.attempts.map((attempt, position) => ({ ...attempt, requestId: trace.id, position })),
  );
  await insertRows(executor, dialect, REQUESTS_TABLE, requestRows);
  await insertRows(executor, dialect, ATTEMPTS_TABLE, attemptRows);
}

function requestRow(trace: RequestTrace, storeContent: boolean): Record<string, unknown> {
  const { attempts, prompt, completion, ...rest } = trace;
  const row: Record<string, unknown> = { ...rest, attemptCount: countAttempts(attempts) };
  if (storeContent) Object.assign(row, { prompt, completion });
  return row;
}

async function insertRows(
  executor: SqlExecutor,
  dialect: SqlDialect,
  table: TableSpec,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const columns = table.columns;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMS_PER_STATEMENT / columns.length));
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const params: SqlValue[] = [];
    const tuples = chunk.map((row) => {
      const marks = columns.map((column) => {
        params.push(dialect.bind(toSqlValue(row[column.field], column)));
        return dialect.placeholder(params.length);
      });
      return `(${marks.join(", ")})`;
    });
    const names = columns.map((column) => column.column).join(", ");
    await executor.query(
      `INSERT INTO ${table.name} (${names}) VALUES ${tuples.join(", ")} ON CONFLICT DO NOTHING`,
      params,
    );
  }
}

function toSqlValue(value: unknown, column: ColumnSpec): SqlValue {
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case "boolean":
      return value === true;
    case "text":
      return String(value);
    case "real": {
      const number = Number(value);
      return Number.isFinite(number) ? number : null;
    }
    default: {
      const number = Math.round(Number(value));
      return Number.isFinite(number) ? number : null;
    }
  }
}

/** A row's value as the trace holds it: numbers as numbers (drivers give BIGINT as text), 0/1 as booleans. */
function fromSqlValue(value: unknown, column: ColumnSpec): unknown {
  if (value === null || value === undefined) return undefined;
  switch (column.type) {
    case "boolean":
      return value === true || value === 1 || value === 1n;
    case "text":
      return String(value);
    default:
      return Number(value);
  }
}

function fromRow(row: SqlRow, columns: readonly ColumnSpec[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const column of columns) {
    const value = fromSqlValue(row[column.column], column);
    if (value !== undefined) record[column.field] = value;
  }
  return record;
}

export function summaryFromRow(row: SqlRow): RequestSummary {
  return fromRow(row, SUMMARY_COLUMNS) as RequestSummary;
}

export function detailFromRows(row: SqlRow, attemptRows: readonly SqlRow[]): RequestDetail {
  const request = fromRow(row, REQUESTS_TABLE.columns) as RequestSummary;
  const attempts = attemptRows.map((attemptRow) => {
    const {
      requestId: _requestId,
      position: _position,
      ...attempt
    } = fromRow(attemptRow, ATTEMPTS_TABLE.columns);
    return attempt as unknown as AttemptTrace;
  });
  return { ...request, attempts };
}

/** A number from an aggregate (PostgreSQL returns COUNT and SUM of integers as text). */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const number = Number(value);
  return Number.isFinite(number) ? number : 0;
}
