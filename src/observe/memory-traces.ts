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

/** An hour's usage rows, per group, by the group's key (`""` for none). */
type HourRows = Record<UsageGroup, Map<string, UsageRow>>;

/**
 * The last requests and recent usage, in memory: what the dashboard shows when no database is
 * configured. Nothing survives a restart; usage is kept by the hour. Requests are held in a ring
 * (recording one is O(1), it runs on every request).
 */
export class MemoryTraces implements TraceReader {
  /** The held requests, oldest at `first`, wrapping around. */
  private readonly ring: (RequestTrace | undefined)[];
  private first = 0;
  private held = 0;
  private readonly hours = new Map<number, HourRows>();
  private readonly capacity: number;
  private readonly usageHours: number;

  constructor(options: MemoryTracesOptions = {}) {
    this.capacity = Math.max(0, options.capacity ?? 500);
    this.usageHours = options.usageHours ?? 48;
    this.ring = new Array<RequestTrace | undefined>(this.capacity).fill(undefined);
  }

  get size(): number {
    return this.held;
  }

  record(trace: RequestTrace): void {
    this.hold(trace);
    const hour = Math.floor(trace.startedAt / HOUR_MS);
    let rows = this.hours.get(hour);
    if (!rows) {
      rows = { client: new Map(), model: new Map(), provider: new Map() };
      this.hours.set(hour, rows);
      for (const kept of this.hours.keys())
        if (kept <= hour - this.usageHours) this.hours.delete(kept);
    }
    for (const group of GROUPS) {
      const key = trace[group] ?? null;
      const byKey = rows[group];
      let row = byKey.get(key ?? "");
      if (!row) {
        row = emptyRow(key);
        byKey.set(key ?? "", row);
      }
      addTo(row, trace);
    }
  }

  async listRequests(query: ListRequestsQuery = {}): Promise<RequestPage> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 1000);
    const before = query.cursor === undefined ? Number.POSITIVE_INFINITY : Number(query.cursor);
    const requests: RequestSummary[] = [];
    let index = Math.min(this.held, before) - 1;
    for (; index >= 0 && requests.length < limit; index--) {
      const trace = this.at(index);
      if (trace && matches(trace, query)) requests.push(summary(trace));
    }
    return index >= 0 ? { requests, nextCursor: String(index + 1) } : { requests };
  }

  async getRequest(id: string): Promise<RequestDetail | undefined> {
    for (let index = this.held - 1; index >= 0; index--) {
      const trace = this.at(index);
      if (trace?.id === id) return { ...summary(trace), attempts: trace.attempts };
    }
    return undefined;
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    const since = query.since ?? Number.NEGATIVE_INFINITY;
    const until = query.until ?? Number.POSITIVE_INFINITY;
    const totals = new Map<string | null, UsageRow>();
    for (const [hour, rows] of this.hours) {
      if ((hour + 1) * HOUR_MS <= since || hour * HOUR_MS >= until) continue;
      for (const row of rows[query.groupBy].values()) {
        const total = totals.get(row.key) ?? emptyRow(row.key);
        for (const field of NUMERIC_FIELDS) total[field] += row[field];
        totals.set(row.key, total);
      }
    }
    return [...totals.values()].sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests);
  }

  /** Keeps `trace`, dropping the oldest when full. */
  private hold(trace: RequestTrace): void {
    if (this.capacity === 0) return;
    if (this.held < this.capacity) {
      this.ring[(this.first + this.held) % this.capacity] = trace;
      this.held++;
      return;
    }
    this.ring[this.first] = trace;
    this.first = (this.first + 1) % this.capacity;
  }

  /** The `index`-th oldest request held. */
  private at(index: number): RequestTrace | undefined {
    return this.ring[(this.first + index) % this.capacity];
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
