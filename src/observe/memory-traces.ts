import {
  countAttempts,
  type RequestDetail,
  type RequestSummary,
  type RequestTrace,
} from "../store/request-trace.js";
import type {
  ListRequestsQuery,
  RequestPage,
  TraceStore,
  UsageGroup,
  UsageQuery,
  UsageRow,
} from "../store/trace-store.js";

/** The reading side of a trace store: what the dashboard asks of one. */
export type TraceReader = Pick<TraceStore, "listRequests" | "getRequest" | "usage">;

export interface MemoryTracesOptions {
  /** Requests kept for listing. Default 500. */
  capacity?: number;
  /** Hours of usage kept. Default 48. */
  usageHours?: number;
}

const HOUR_MS = 3_600_000;
const GROUPS: readonly UsageGroup[] = ["client", "model", "provider"];

/**
 * The last requests and recent usage, in memory: what the dashboard shows when no database is
 * configured. Nothing survives a restart; usage is kept by the hour.
 */
export class MemoryTraces implements TraceReader {
  private readonly traces: RequestTrace[] = [];
  private readonly hours = new Map<number, Map<string, UsageRow>>();
  private readonly capacity: number;
  private readonly usageHours: number;

  constructor(options: MemoryTracesOptions = {}) {
    this.capacity = options.capacity ?? 500;
    this.usageHours = options.usageHours ?? 48;
  }

  get size(): number {
    return this.traces.length;
  }

  record(trace: RequestTrace): void {
    this.traces.push(trace);
    if (this.traces.length > this.capacity) this.traces.shift();
    const hour = Math.floor(trace.startedAt / HOUR_MS);
    let rows = this.hours.get(hour);
    if (!rows) {
      rows = new Map();
      this.hours.set(hour, rows);
      for (const kept of this.hours.keys())
        if (kept <= hour - this.usageHours) this.hours.delete(kept);
    }
    for (const group of GROUPS) {
      const key = trace[group] ?? null;
      const id = `${group}\u0000${key ?? ""}`;
      let row = rows.get(id);
      if (!row) {
        row = emptyRow(key);
        rows.set(id, row);
      }
      addTo(row, trace);
    }
  }

  async listRequests(query: ListRequestsQuery = {}): Promise<RequestPage> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 1000);
    const before = query.cursor === undefined ? Number.POSITIVE_INFINITY : Number(query.cursor);
    const requests: RequestSummary[] = [];
    let index = Math.min(this.traces.length, before) - 1;
    for (; index >= 0 && requests.length < limit; index--) {
      const trace = this.traces[index];
      if (trace && matches(trace, query)) requests.push(summary(trace));
    }
    return index >= 0 ? { requests, nextCursor: String(index + 1) } : { requests };
  }

  async getRequest(id: string): Promise<RequestDetail | undefined> {
    const trace = this.traces.findLast((candidate) => candidate.id === id);
    return trace ? { ...summary(trace), attempts: trace.attempts } : undefined;
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    const since = query.since ?? Number.NEGATIVE_INFINITY;
    const until = query.until ?? Number.POSITIVE_INFINITY;
    const totals = new Map<string | null, UsageRow>();
    for (const [hour, rows] of this.hours) {
      if ((hour + 1) * HOUR_MS <= since || hour * HOUR_MS >= until) continue;
      for (const [id, row] of rows) {
        if (!id.startsWith(`${query.groupBy}\u0000`)) continue;
        const total = totals.get(row.key) ?? emptyRow(row.key);
        for (const field of NUMERIC_FIELDS) total[field] += row[field];
        totals.set(row.key, total);
      }
    }
    return [...totals.values()].sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests);
  }
}

const NUMERIC_FIELDS = [
  "requests",
  "errors",
  "inputTokens",
  "outputTokens",
  "cachedInputTokens",
  "costUsd",
  "unpricedRequests",
] as const;

function emptyRow(key: string | null): UsageRow {
  return {
    key,
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    costUsd: 0,
    unpricedRequests: 0,
  };
}

function addTo(row: UsageRow, trace: RequestTrace): void {
  row.requests += 1;
  if (trace.outcome !== "success") row.errors += 1;
  row.inputTokens += trace.inputTokens ?? 0;
  row.outputTokens += trace.outputTokens ?? 0;
  row.cachedInputTokens += trace.cachedInputTokens ?? 0;
  if (trace.costUsd !== undefined) row.costUsd += trace.costUsd;
  else if ((trace.inputTokens ?? 0) + (trace.outputTokens ?? 0) > 0) row.unpricedRequests += 1;
}

function matches(trace: RequestTrace, query: ListRequestsQuery): boolean {
  return (
    (query.client === undefined || trace.client === query.client) &&
    (query.model === undefined || trace.model === query.model) &&
    (query.provider === undefined || trace.provider === query.provider) &&
    (query.status === undefined || trace.status === query.status) &&
    (query.outcome === undefined || trace.outcome === query.outcome) &&
    (query.since === undefined || trace.startedAt >= query.since) &&
    (query.until === undefined || trace.startedAt < query.until)
  );
}

function summary(trace: RequestTrace): RequestSummary {
  const { attempts, prompt: _prompt, completion: _completion, ...rest } = trace;
  return { ...rest, attemptCount: countAttempts(attempts) };
}
