import { type Clock, systemClock } from "../engine/clock.js";
import type { DropEvent } from "./trace-store.js";

/** Where the reporter writes: the gateway's logger fits. */
export interface TraceStoreLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

export interface TraceStoreReporterOptions {
  logger: TraceStoreLogger;
  /** `sqlite` or `postgres`, named in each line. */
  backend: string;
  clock?: Clock;
  /** While problems last, at most one line per this many milliseconds. Default 60000. */
  logIntervalMs?: number;
}

/**
 * Turns the trace store's failures and drops into a few log lines: the first problem is logged at
 * once, later ones are counted and logged at most once per `logIntervalMs` with their counts, and
 * the recovery is logged with whatever was counted since the last line. An outage of any length
 * costs a handful of lines, never one per trace.
 */
export class TraceStoreReporter {
  private readonly clock: Clock;
  private readonly logIntervalMs: number;
  /** When the last problem line was written; undefined while all is well. */
  private loggedAt: number | undefined;
  private errors = 0;
  private dropped = 0;
  private lastError: string | undefined;

  constructor(private readonly options: TraceStoreReporterOptions) {
    this.clock = options.clock ?? systemClock;
    this.logIntervalMs = options.logIntervalMs ?? 60_000;
  }

  /** A write or the connection failed (the writer retries). */
  writeFailed(error: unknown): void {
    this.errors++;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.report();
  }

  /** Traces were dropped (buffer full, or recorded after close). */
  tracesDropped(event: DropEvent): void {
    this.dropped += event.count;
    this.report();
  }

  /** A write succeeded after `failures` failed ones. */
  recovered(failures: number): void {
    this.options.logger.info(
      { backend: this.options.backend, failedWrites: failures, ...this.takeCounts() },
      "trace store writes recovered",
    );
    this.loggedAt = undefined;
  }

  /** Logs what was counted since the last line, if anything (at shutdown). */
  flush(): void {
    if (this.errors > 0 || this.dropped > 0) this.log();
  }

  private report(): void {
    const now = this.clock.now();
    if (this.loggedAt === undefined || now - this.loggedAt >= this.logIntervalMs) this.log();
  }

  private log(): void {
    const sinceMs = this.loggedAt === undefined ? undefined : this.clock.now() - this.loggedAt;
    const failing = this.errors > 0;
    this.loggedAt = this.clock.now();
    this.options.logger.warn(
      {
        backend: this.options.backend,
        ...this.takeCounts(),
        ...(sinceMs === undefined ? {} : { sinceMs }),
      },
      failing ? "trace store writes failing" : "request traces dropped",
    );
  }

  /** The counts since the last line (then zeroed) and the last error seen. */
  private takeCounts(): { errors: number; droppedTraces: number; lastError?: string } {
    const counts = {
      errors: this.errors,
      droppedTraces: this.dropped,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
    this.errors = 0;
    this.dropped = 0;
    this.lastError = undefined;
    return counts;
  }
}
