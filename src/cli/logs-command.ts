import { formatUsd } from "../store/cost.js";
import { formatTime } from "../store/parse-time.js";
import type { AttemptTrace, RequestDetail, RequestSummary } from "../store/request-trace.js";
import type { ListRequestsQuery, TraceStore } from "../store/trace-store.js";

export interface LogsCommandOptions extends ListRequestsQuery {
  store: TraceStore;
  /** Show this one request with its attempt chain instead of a list. */
  id?: string;
  /** Print JSON instead of a table. */
  json?: boolean;
  /** Where output goes; default `process.stdout`. */
  write?: (text: string) => void;
}

/**
 * `switchyard logs`: lists requests newest first, filtered (client, model, provider, status, outcome,
 * since, until), a page at a time; with `--id`, one request and its attempt chain. Returns the exit
 * code: 0, or 1 when `--id` names no stored request. Never calls `process.exit`.
 */
export async function runLogsCommand(options: LogsCommandOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const { store, id, json, write: _write, ...query } = options;
  if (id !== undefined) {
    const request = await store.getRequest(id);
    if (json) write(`${JSON.stringify(request ?? null, null, 2)}\n`);
    else if (request) write(`${formatRequestDetail(request).join("\n")}\n`);
    else write(`no request with id ${id}\n`);
    return request ? 0 : 1;
  }
  const page = await store.listRequests(query);
  if (json) {
    write(`${JSON.stringify(page, null, 2)}\n`);
    return 0;
  }
  if (page.requests.length === 0) {
    write("no requests match\n");
    return 0;
  }
  write(`${formatRequestTable(page.requests).join("\n")}\n`);
  if (page.nextCursor !== undefined) write(`more: --cursor ${page.nextCursor}\n`);
  return 0;
}

/** One line per request under a header row. */
export function formatRequestTable(requests: readonly RequestSummary[]): string[] {
  return formatTable(
    [
      "TIME (UTC)",
      "ID",
      "CLIENT",
      "MODEL",
      "PROVIDER",
      "STATUS",
      "OUTCOME",
      "ATTEMPTS",
      "LATENCY",
      "TOKENS IN/OUT",
      "COST",
    ],
    requests.map((request) => [
      formatTime(request.startedAt),
      request.id,
      request.client ?? "-",
      request.model ?? "-",
      request.provider ?? "-",
      request.status === undefined ? "-" : String(request.status),
      request.outcome,
      String(request.attemptCount),
      formatMs(request.latencyMs),
      request.inputTokens === undefined && request.outputTokens === undefined
        ? "-"
        : `${request.inputTokens ?? 0}/${request.outputTokens ?? 0}`,
      request.costUsd === undefined ? "-" : formatUsd(request.costUsd),
    ]),
  );
}

/** A request's fields, then its attempts in order, then its content if stored. */
export function formatRequestDetail(request: RequestDetail): string[] {
  const served = request.targetId
    ? ` -> ${request.targetId}${request.upstreamModel ? ` (${request.upstreamModel})` : ""}`
    : "";
  const fields: [string, string | undefined][] = [
    ["time", `${formatTime(request.startedAt)} UTC`],
    ["client", request.client],
    ["model", `${request.model ?? "-"}${served}`],
    [
      "protocol",
      `${request.protocol}${request.stream ? ", stream" : ""}${request.cached ? ", cached" : ""}`,
    ],
    [
      "outcome",
      `${request.outcome}${request.status === undefined ? "" : `, status ${request.status}`}`,
    ],
    ["error", request.errorClass && `${request.errorClass}: ${request.errorMessage ?? ""}`.trim()],
    [
      "latency",
      `${formatMs(request.latencyMs)}${request.firstByteMs === undefined ? "" : ` (first byte ${formatMs(request.firstByteMs)})`}`,
    ],
    ["tokens", describeTokens(request)],
    ["cost", request.costUsd === undefined ? undefined : formatUsd(request.costUsd)],
  ];
  const lines = [`request ${request.id}`];
  for (const [label, value] of fields) {
    if (value !== undefined && value !== "") lines.push(`  ${label.padEnd(9)}${value}`);
  }
  lines.push(`attempts (${request.attemptCount} made, ${request.attempts.length} steps)`);
  if (request.attempts.length > 0) {
    const table = formatTable(
      ["#", "TARGET", "KEY", "OUTCOME", "KIND", "STATUS", "AT", "LATENCY", "NOTE"],
      request.attempts.map((attempt, index) => attemptCells(attempt, index)),
    );
    lines.push(...table.map((line) => `  ${line}`));
  }
  if (request.prompt !== undefined) lines.push("prompt", indent(request.prompt));
  if (request.completion !== undefined) lines.push("completion", indent(request.completion));
  return lines;
}

function attemptCells(attempt: AttemptTrace, index: number): string[] {
  const note =
    attempt.outcome === "skipped"
      ? (attempt.skippedReason ?? "")
      : `${attempt.hedge ? "hedge " : ""}${attempt.attempt && attempt.attempt > 1 ? `retry ${attempt.attempt - 1} ` : ""}${attempt.message ?? ""}`;
  return [
    String(index + 1),
    attempt.targetId,
    attempt.keyId ?? "-",
    attempt.outcome,
    attempt.errorKind ?? "-",
    attempt.status === undefined ? "-" : String(attempt.status),
    attempt.startedAfterMs === undefined ? "-" : `+${formatMs(attempt.startedAfterMs)}`,
    attempt.latencyMs === undefined ? "-" : formatMs(attempt.latencyMs),
    note.trim() || "-",
  ];
}

function describeTokens(request: RequestSummary): string | undefined {
  if (request.inputTokens === undefined && request.outputTokens === undefined) return undefined;
  const cached = request.cachedInputTokens ? ` (${request.cachedInputTokens} cached)` : "";
  return `${request.inputTokens ?? 0} in${cached}, ${request.outputTokens ?? 0} out`;
}

function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** Columns padded to their widest cell, two spaces apart; no trailing spaces. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
