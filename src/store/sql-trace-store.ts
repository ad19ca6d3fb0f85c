import type { Clock } from "../engine/clock.js";
import { SqlKeyStore } from "./key-store.js";
import { runMigrations } from "./migrations.js";
import type { RequestDetail, RequestTrace } from "./request-trace.js";
import type { ResponseStore } from "./response-store.js";
import type { SqlDatabase } from "./sql-database.js";
import { SqlResponseStore } from "./sql-response-store.js";
import * as queries from "./trace-queries.js";
import { insertTraces } from "./trace-rows.js";
import type {
  DropEvent,
  ListRequestsQuery,
  RequestPage,
  TraceStore,
  UsageQuery,
  UsageRow,
} from "./trace-store.js";
import { TraceWriter } from "./trace-writer.js";

/** How the store buffers and writes; see `TraceWriterOptions` for each default. */
export interface TraceBufferOptions {
  maxBufferSize?: number;
  maxBatchSize?: number;
  flushIntervalMs?: number;
  retryBaseDelayMs?: number;
  maxRetryDelayMs?: number;
  clock?: Clock;
  /** Told each time traces are dropped; must not throw. */
  onDrop?: (event: DropEvent) => void;
  /** Told when a write or a connection fails (writes are retried); must not throw. */
  onError?: (error: unknown) => void;
  /** Told when a write succeeds after `failures` failed ones in a row; must not throw. */
  onRecover?: (failures: number) => void;
}

export interface SqlTraceStoreOptions extends TraceBufferOptions {
  /** Keep prompts and completions; without it they are never written. Default false. */
  storeContent?: boolean;
}

/**
 * The trace store over either database: one schema, one set of queries, a buffered writer. The
 * schema is migrated on first use (or by `migrate()`); a failed migration is retried with the writes.
 */
export class SqlTraceStore implements TraceStore {
  readonly storeContent: boolean;
  private readonly writer: TraceWriter<RequestTrace>;
  private migrated: Promise<void> | undefined;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly database: SqlDatabase,
    options: SqlTraceStoreOptions = {},
  ) {
    this.storeContent = options.storeContent ?? false;
    this.writer = new TraceWriter<RequestTrace>({
      ...options,
      write: (batch) => this.write(batch),
    });
  }

  get kind(): "sqlite" | "postgres" {
    return this.database.dialect.name;
  }

  get droppedCount(): number {
    return this.writer.droppedCount;
  }

  get pendingCount(): number {
    return this.writer.pendingCount;
  }

  get failureCount(): number {
    return this.writer.failureCount;
  }

  get writeFailureCount(): number {
    return this.writer.writeFailureCount;
  }

  record(trace: RequestTrace): void {
    // Content the store will not keep is not held in the buffer either.
    const keep =
      this.storeContent || (trace.prompt === undefined && trace.completion === undefined);
    this.writer.push(keep ? trace : withoutContent(trace));
  }

  /** Stored Responses API responses in the same database (their table is one of its migrations). */
  responseStore(clock: Clock): ResponseStore {
    return new SqlResponseStore(this.database, () => this.migrate(), clock);
  }

  /** Runtime virtual keys, teams and the audit log in the same database. */
  keyStore(): SqlKeyStore {
    return new SqlKeyStore(this.database, () => this.migrate());
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  migrate(): Promise<void> {
    if (!this.migrated) {
      this.migrated = runMigrations(this.database).then(
        () => undefined,
        (error: unknown) => {
          this.migrated = undefined;
          throw error;
        },
      );
    }
    return this.migrated;
  }

  async listRequests(query: ListRequestsQuery = {}): Promise<RequestPage> {
    await this.migrate();
    return queries.listRequests(this.database, query);
  }

  async getRequest(id: string): Promise<RequestDetail | undefined> {
    await this.migrate();
    return queries.getRequest(this.database, id);
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    await this.migrate();
    return queries.usage(this.database, query);
  }

  async spend(client: string, since: number): Promise<number> {
    await this.migrate();
    return queries.spend(this.database, client, since);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = this.writer.close().finally(() => this.database.close());
    }
    return this.closed;
  }

  private async write(batch: readonly RequestTrace[]): Promise<void> {
    await this.migrate();
    const { dialect } = this.database;
    await this.database.transaction((executor) =>
      insertTraces(executor, dialect, batch, this.storeContent),
    );
  }
}

function withoutContent(trace: RequestTrace): RequestTrace {
  const { prompt: _prompt, completion: _completion, ...rest } = trace;
  return rest;
}
