import { formatUsd } from "../store/cost.js";
import { formatTime } from "../store/parse-time.js";
import type { TraceStore, UsageGroup, UsageRow } from "../store/trace-store.js";
import { formatTable } from "./logs-command.js";

export interface UsageCommandOptions {
  store: TraceStore;
  /** Default `model`. */
  groupBy?: UsageGroup;
  /** Epoch milliseconds; default all time. */
  since?: number;
  until?: number;
  /** Print JSON instead of a table. */
  json?: boolean;
  /** Where output goes; default `process.stdout`. */
  write?: (text: string) => void;
}

/**
 * `switchyard usage`: requests, tokens and cost by client, model or provider over a time range,
 * costliest first, with a total. Returns the exit code (0). Never calls `process.exit`.
 */
export async function runUsageCommand(options: UsageCommandOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const groupBy = options.groupBy ?? "model";
  const rows = await options.store.usage({
    groupBy,
    since: options.since,
    until: options.until,
  });
  if (options.json) {
    const report = {
      groupBy,
      since: options.since,
      until: options.until,
      rows,
      total: total(rows),
    };
    write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  write(
    `${formatUsageReport(rows, { groupBy, since: options.since, until: options.until }).join("\n")}\n`,
  );
  return 0;
}

/** A heading, a table with a TOTAL row, and a note when some requests had no price. */
export function formatUsageReport(
  rows: readonly UsageRow[],
  range: { groupBy: UsageGroup; since?: number | undefined; until?: number | undefined },
): string[] {
  const lines = [`usage by ${range.groupBy}, ${describeRange(range.since, range.until)}`];
  if (rows.length === 0) return [...lines, "no requests in this range"];
  const cells = (key: string, row: Omit<UsageRow, "key">) => [
    key,
    count(row.requests),
    count(row.errors),
    count(row.inputTokens),
    count(row.cachedInputTokens),
    count(row.outputTokens),
    formatUsd(row.costUsd),
  ];
  lines.push(
    ...formatTable(
      [range.groupBy.toUpperCase(), "REQUESTS", "ERRORS", "INPUT", "CACHED", "OUTPUT", "COST"],
      [...rows.map((row) => cells(row.key ?? "(none)", row)), cells("TOTAL", total(rows))],
    ),
  );
  const unpriced = total(rows).unpricedRequests;
  if (unpriced > 0) {
    lines.push(
      `${count(unpriced)} request${unpriced === 1 ? " has" : "s have"} tokens but no price in pricing: not in the cost`,
    );
  }
  return lines;
}

function total(rows: readonly UsageRow[]): Omit<UsageRow, "key"> {
  const sum = (pick: (row: UsageRow) => number) => rows.reduce((acc, row) => acc + pick(row), 0);
  return {
    requests: sum((row) => row.requests),
    errors: sum((row) => row.errors),
    inputTokens: sum((row) => row.inputTokens),
    outputTokens: sum((row) => row.outputTokens),
    cachedInputTokens: sum((row) => row.cachedInputTokens),
    costUsd: sum((row) => row.costUsd),
    unpricedRequests: sum((row) => row.unpricedRequests),
  };
}

function describeRange(since: number | undefined, until: number | undefined): string {
  if (since === undefined && until === undefined) return "all time";
  const from = since === undefined ? "the start" : `${formatTime(since)} UTC`;
  const to = until === undefined ? "now" : `${formatTime(until)} UTC`;
  return `from ${from} to ${to}`;
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}
