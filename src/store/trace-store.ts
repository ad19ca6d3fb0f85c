import type { Clock } from "../engine/clock.js";
import type { SqlKeyStore } from "./key-store.js";
import type {
  RequestDetail,
  RequestOutcome,
  RequestSummary,
  RequestTrace,
} from "./request-trace.js";
import type { ResponseStore } from "./response-store.js";

export interface ListRequestsQuery {
  client?: string;
  /** The model the client asked for. */
  model?: string;
  /** The provider that served. */
  provider?: string;
  status?: number;
  outcome?: RequestOutcome;
  /** Requests that started at or after this time, epoch milliseconds. */
  since?: number;
  /** Requests that started before this time, epoch milliseconds. */
  until?: number;
  /** At most this many, newest first. Default 50, at most 1000. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface RequestPage {
  requests: RequestSummary[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

export type UsageGroup = "client" | "model" | "provider";

export interface UsageQuery {
  since?: number;
  until?: number;
  groupBy: UsageGroup;
}

export interface UsageRow {
  /** The client, model or provider; null for requests without one (no client, not served). */
  key: string | null;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  /** Requests with tokens but no price, so missing from `costUsd`. */
  unpricedRequests: number;
}

/** Why traces were dropped instead of stored. */
export type DropReason = "buffer_full" | "closed";

export interface DropEvent {
  reason: DropReason;
  /** Traces dropped by this event. */
  count: number;
  /** Traces dropped since the store was created. */
  droppedCount: number;
}

/**
 * Where request traces go. `record` is synchronous and cheap: it buffers, and a flusher writes
 * batches in the background, so a slow or absent database never delays or fails a request.
 */
export interface TraceStore {
  readonly kind: "sqlite" | "postgres";
  /** Whether prompts and completions are kept (`database.storeContent`). */
  readonly storeContent: boolean;
  /** Traces dropped (buffer full, or recorded after close) since the store was created. */
  readonly droppedCount: number;
  /** Traces recorded and not yet written. */
  readonly pendingCount: number;
  /** Failed writes in a row: the store is failing while this is above 0 (writes are retried). */
  readonly failureCount: number;
  /** Failed writes since the store was created. */
  readonly writeFailureCount: number;
  /** Buffers a trace for writing. Never throws; drops and counts the trace when the buffer is full. */
  record(trace: RequestTrace): void;
  /** Writes everything buffered now; rejects when the database fails (the traces stay buffered). */
  flush(): Promise<void>;
  /** Brings the schema up to date; safe to call again and from several processes at once. */
  migrate(): Promise<void>;
  listRequests(query?: ListRequestsQuery): Promise<RequestPage>;
  getRequest(id: string): Promise<RequestDetail | undefined>;
  usage(query: UsageQuery): Promise<UsageRow[]>;
  /** The client's total cost in USD of requests started at or after `since` (epoch milliseconds). */
  spend(client: string, since: number): Promise<number>;
  /** Stops the flusher, writes what is buffered, and closes the connection. */
  close(): Promise<void>;
  /** Stored Responses API responses kept in the same database. */
  responseStore?(clock: Clock): ResponseStore;
  /** Runtime virtual keys, teams and the admin audit log kept in the same database. */
  keyStore?(): SqlKeyStore;
}
