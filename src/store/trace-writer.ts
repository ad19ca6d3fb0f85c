import { type Clock, systemClock, type TimerHandle } from "../engine/clock.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import type { DropEvent, DropReason } from "./trace-store.js";

export interface TraceWriterOptions<T> {
  /** Writes one batch in one transaction; rejects when the database fails. */
  write: (batch: readonly T[]) => Promise<void>;
  /** Items held at most, the batch being written included; more are dropped. Default 10000. */
  maxBufferSize?: number;
  /** Items written per batch at most. A full batch is written at once. Default 500. */
  maxBatchSize?: number;
  /** How long an item may wait for a batch to fill before it is written. Default 1000. */
  flushIntervalMs?: number;
  /** The wait after a failed write; doubles with each failure in a row. Default 1000. */
  retryBaseDelayMs?: number;
  /** The longest wait between retries. Default 30000. */
  maxRetryDelayMs?: number;
  clock?: Clock;
  /** Told each time items are dropped (for logs and metrics); must not throw. */
  onDrop?: (event: DropEvent) => void;
  /** Told each time a write fails (it will be retried); must not throw. */
  onError?: (error: unknown) => void;
  /** Told when a write succeeds after `failures` failed ones in a row; must not throw. */
  onRecover?: (failures: number) => void;
}

const DEFAULTS = {
  maxBufferSize: 10_000,
  maxBatchSize: 500,
  flushIntervalMs: 1000,
  retryBaseDelayMs: 1000,
  maxRetryDelayMs: 30_000,
};

/**
 * A bounded buffer with a background flusher. `push` is O(1) and never throws; batches are written
 * off the caller's path, on an interval or when a batch is full. A failed write keeps its items
 * (within the bound) and is retried with exponential backoff.
 */
export class TraceWriter<T> {
  private readonly buffer: T[] = [];
  private readonly clock: Clock;
  private readonly settings: typeof DEFAULTS;
  private running: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private failures = 0;
  private writeFailures = 0;
  private closing: Promise<void> | undefined;
  private dropped = 0;

  constructor(private readonly options: TraceWriterOptions<T>) {
    this.clock = options.clock ?? systemClock;
    this.settings = {
      maxBufferSize: options.maxBufferSize ?? DEFAULTS.maxBufferSize,
      maxBatchSize: options.maxBatchSize ?? DEFAULTS.maxBatchSize,
      flushIntervalMs: options.flushIntervalMs ?? DEFAULTS.flushIntervalMs,
      retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
    };
    for (const [name, value] of Object.entries(this.settings)) {
      const least = name.startsWith("max") ? 1 : 0;
      if (!Number.isFinite(value) || value < least) {
        throw new InvalidOptionError(name, `at least ${least}`, value);
      }
    }
  }

  /** Items dropped since the writer was created. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Items held, the batch being written included. */
  get pendingCount(): number {
    return this.buffer.length;
  }

  /** Consecutive failed writes (0 when the last write succeeded). */
  get failureCount(): number {
    return this.failures;
  }

  /** Failed writes since the writer was created. */
  get writeFailureCount(): number {
    return this.writeFailures;
  }

  push(item: T): void {
    if (this.closing) {
      this.drop("closed", 1);
      return;
    }
    if (this.buffer.length >= this.settings.maxBufferSize) {
      this.drop("buffer_full", 1);
      return;
    }
    this.buffer.push(item);
    if (this.failures > 0) return; // the retry timer is set
    const full = this.buffer.length >= this.settings.maxBatchSize && !this.running;
    this.schedule(full ? 0 : this.settings.flushIntervalMs);
  }

  /** Writes everything held now; rejects with the database's error when a write fails. */
  async flush(): Promise<void> {
    if (this.running) await this.running.catch(() => undefined);
    if (this.buffer.length > 0) await this.drain();
  }

  /** Stops the timer and flushes once; what cannot be written is dropped and counted. */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.cancelTimer();
    try {
      await this.flush();
    } catch {
      const lost = this.buffer.length;
      this.buffer.length = 0;
      if (lost > 0) this.drop("closed", lost);
    }
  }

  private drain(): Promise<void> {
    if (!this.running) {
      this.running = this.writeAll().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const size = Math.min(this.settings.maxBatchSize, this.buffer.length);
      try {
        await this.options.write(this.buffer.slice(0, size));
      } catch (error) {
        this.failures++;
        this.writeFailures++;
        this.tell(this.options.onError, error);
        if (!this.closing) this.schedule(this.retryDelayMs(), true);
        throw error;
      }
      // Only this loop removes items, and only from the front: the batch is still there.
      this.buffer.splice(0, size);
      if (this.failures > 0) {
        const failures = this.failures;
        this.failures = 0;
        this.tell(this.options.onRecover, failures);
      }
    }
  }

  private retryDelayMs(): number {
    const { retryBaseDelayMs, maxRetryDelayMs } = this.settings;
    return Math.min(maxRetryDelayMs, retryBaseDelayMs * 2 ** Math.min(this.failures - 1, 30));
  }

  /** Sets the flush timer, unless one is due sooner (or `replace`, for a retry after a failure). */
  private schedule(delayMs: number, replace = false): void {
    const dueAt = this.clock.now() + delayMs;
    if (this.timer !== undefined) {
      if (!replace && this.timerDueAt <= dueAt) return;
      this.cancelTimer();
    }
    this.timerDueAt = dueAt;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerDueAt = Number.POSITIVE_INFINITY;
        this.drain().catch(() => undefined);
      },
      delayMs,
      true,
    );
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = Number.POSITIVE_INFINITY;
  }

  private drop(reason: DropReason, count: number): void {
    this.dropped += count;
    this.tell(this.options.onDrop, { reason, count, droppedCount: this.dropped });
  }

  private tell<A>(listener: ((argument: A) => void) | undefined, argument: A): void {
    try {
      listener?.(argument);
    } catch {
      // A listener's fault must not reach the request path.
    }
  }
}
