import { SwitchyardError } from "../errors/switchyard-error.js";
import type { RequestDetail } from "./request-trace.js";
import { ATTEMPTS_TABLE, REQUESTS_TABLE } from "./schema.js";
import { type SqlDatabase, SqlParams } from "./sql-database.js";
import { detailFromRows, SUMMARY_COLUMNS, summaryFromRow, toNumber } from "./trace-rows.js";
import type {
  ListRequestsQuery,
  RequestPage,
  UsageGroup,
  UsageQuery,
  UsageRow,
} from "./trace-store.js";

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 1000;

const GROUP_COLUMNS: Record<UsageGroup, string> = {
  client: "client",
  model: "model",
  provider: "provider",
};

/** Requests newest first (ties broken by id), filtered, one page at a time. */
export async function listRequests(
  database: SqlDatabase,
  query: ListRequestsQuery,
): Promise<RequestPage> {
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new SwitchyardError(
      "invalid_query",
      `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got ${limit}`,
    );
  }
  const params = new SqlParams(database.dialect);
  const where: string[] = [];
  const equal = (column: string, value: string | number | undefined) => {
    if (value !== undefined) where.push(`${column} = ${params.add(value)}`);
  };
  equal("client", query.client);
  equal("model", query.model);
  equal("provider", query.provider);
  equal("status", query.status);
  equal("outcome", query.outcome);
  timeRange(where, params, query);
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor);
    const at = params.add(cursor.startedAt);
    const atAgain = params.add(cursor.startedAt);
    where.push(
      `(started_at < ${at} OR (started_at = ${atAgain} AND id < ${params.add(cursor.id)}))`,
    );
  }
  const columns = SUMMARY_COLUMNS.map((column) => column.column).join(", ");
  const rows = await database.query(
    `SELECT ${columns} FROM ${REQUESTS_TABLE.name}${whereClause(where)} ORDER BY started_at DESC, id DESC LIMIT ${params.add(limit + 1)}`,
    params.values,
  );
  const requests = rows.slice(0, limit).map(summaryFromRow);
  const last = requests.at(-1);
  return rows.length > limit && last
    ? { requests, nextCursor: encodeCursor(last.startedAt, last.id) }
    : { requests };
}

/** One request with its attempts in order, or undefined. */
export async function getRequest(
  database: SqlDatabase,
  id: string,
): Promise<RequestDetail | undefined> {
  const params = new SqlParams(database.dialect);
  const [row] = await database.query(
    `SELECT * FROM ${REQUESTS_TABLE.name} WHERE id = ${params.add(id)}`,
    params.values,
  );
  if (!row) return undefined;
  const attemptParams = new SqlParams(database.dialect);
  const attempts = await database.query(
    `SELECT * FROM ${ATTEMPTS_TABLE.name} WHERE request_id = ${attemptParams.add(id)} ORDER BY position`,
    attemptParams.values,
  );
  return detailFromRows(row, attempts);
}

/** Requests, tokens and cost per client, model or provider; costliest first. */
export async function usage(database: SqlDatabase, query: UsageQuery): Promise<UsageRow[]> {
  const column = GROUP_COLUMNS[query.groupBy];
  if (!column) {
    throw new SwitchyardError(
      "invalid_query",
      `groupBy must be client, model or provider, got ${String(query.groupBy)}`,
    );
  }
  const params = new SqlParams(database.dialect);
  const where: string[] = [];
  timeRange(where, params, query);
  const rows = await database.query(
    `SELECT ${column} AS group_key, COUNT(*) AS requests,
       SUM(CASE WHEN outcome = 'success' THEN 0 ELSE 1 END) AS errors,
       SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
       SUM(cached_input_tokens) AS cached_input_tokens, SUM(cost_usd) AS total_cost_usd,
       SUM(CASE WHEN cost_usd IS NULL AND COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0) > 0
         THEN 1 ELSE 0 END) AS unpriced
     FROM ${REQUESTS_TABLE.name}${whereClause(where)} GROUP BY ${column}`,
    params.values,
  );
  return rows
    .map(
      (row): UsageRow => ({
        key: row.group_key === null || row.group_key === undefined ? null : String(row.group_key),
        requests: toNumber(row.requests),
        errors: toNumber(row.errors),
        inputTokens: toNumber(row.input_tokens),
        outputTokens: toNumber(row.output_tokens),
        cachedInputTokens: toNumber(row.cached_input_tokens),
        costUsd: toNumber(row.total_cost_usd),
        unpricedRequests: toNumber(row.unpriced),
      }),
    )
    .sort(byCostThenKey);
}

/** The client's total cost since `since`. */
export async function spend(database: SqlDatabase, client: string, since: number): Promise<number> {
  const params = new SqlParams(database.dialect);
  const [row] = await database.query(
    `SELECT SUM(cost_usd) AS total FROM ${REQUESTS_TABLE.name} WHERE client = ${params.add(client)} AND started_at >= ${params.add(Math.ceil(since))}`,
    params.values,
  );
  return toNumber(row?.total);
}

function byCostThenKey(a: UsageRow, b: UsageRow): number {
  if (a.costUsd !== b.costUsd) return b.costUsd - a.costUsd;
  if (a.requests !== b.requests) return b.requests - a.requests;
  if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** `since <= started_at < until`; times are whole milliseconds in the table. */
function timeRange(
  where: string[],
  params: SqlParams,
  range: { since?: number | undefined; until?: number | undefined },
): void {
  if (range.since !== undefined) where.push(`started_at >= ${params.add(Math.ceil(range.since))}`);
  if (range.until !== undefined) where.push(`started_at < ${params.add(Math.ceil(range.until))}`);
}

function whereClause(conditions: readonly string[]): string {
  return conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`;
}

function encodeCursor(startedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([startedAt, id])).toString("base64url");
}

function decodeCursor(cursor: string): { startedAt: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "number" &&
      typeof value[1] === "string"
    ) {
      return { startedAt: value[0], id: value[1] };
    }
  } catch {
    // Reported below.
  }
  const shown = cursor.length > 40 ? `${cursor.slice(0, 40)}...` : cursor;
  throw new SwitchyardError(
    "invalid_query",
    `invalid cursor '${shown}': pass a nextCursor as given`,
  );
}
