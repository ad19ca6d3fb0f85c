import type { Clock } from "./clock.js";
import { RollingCounts } from "./rolling-counts.js";

export interface RetryBudgetOptions {
  /** Retries allowed as a share of calls over the window (0..1). */
  ratio: number;
  windowMs: number;
  /** Retries allowed per second regardless of traffic, so a quiet service can still retry. */
  minPerSecond: number;
}

/**
 * Caps retries across the whole factory so an outage cannot multiply traffic: over any window, retries
 * stay within `ratio` of calls plus a small floor. Fail-overs to another provider are not retries.
 */
export class RetryBudget {
  private readonly counts: RollingCounts;
  private readonly floor: number;

  constructor(
    private readonly options: RetryBudgetOptions,
    clock: Clock,
  ) {
    this.counts = new RollingCounts(options.windowMs, 10, clock);
    this.floor = (options.minPerSecond * options.windowMs) / 1000;
  }

  /** Records a call (the first attempt of a `generate` or `stream`), at `atMs` if the caller knows it. */
  recordCall(atMs?: number): void {
    this.counts.add(1, 0, atMs);
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(): boolean {
    const { total, marked } = this.counts.sum();
    const calls = total - marked;
    if (marked + 1 > this.floor + this.options.ratio * calls) return false;
    this.counts.add(1, 1);
    return true;
  }
}
