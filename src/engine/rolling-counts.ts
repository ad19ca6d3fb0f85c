import type { Clock } from "./clock.js";

/**
 * Counts events over a rolling time window in fixed buckets: bounded memory, O(buckets) sums.
 * Each event adds to `total` and optionally to `marked` (failures, retries, ...).
 */
export class RollingCounts {
  private readonly bucketMs: number;
  private readonly totals: Float64Array;
  private readonly marks: Float64Array;
  private readonly stamps: Float64Array;

  constructor(
    windowMs: number,
    private readonly bucketCount: number,
    private readonly clock: Clock,
  ) {
    this.bucketMs = Math.max(1, windowMs / bucketCount);
    this.totals = new Float64Array(bucketCount);
    this.marks = new Float64Array(bucketCount);
    this.stamps = new Float64Array(bucketCount).fill(-1);
  }

  add(total: number, marked: number, atMs = this.clock.now()): void {
    const slot = Math.floor(atMs / this.bucketMs);
    const index = slot % this.bucketCount;
    if (this.stamps[index] !== slot) {
      this.stamps[index] = slot;
      this.totals[index] = 0;
      this.marks[index] = 0;
    }
    this.totals[index] = (this.totals[index] ?? 0) + total;
    this.marks[index] = (this.marks[index] ?? 0) + marked;
  }

  sum(): { total: number; marked: number } {
    const slot = Math.floor(this.clock.now() / this.bucketMs);
    let total = 0;
    let marked = 0;
    for (let index = 0; index < this.bucketCount; index++) {
      const stamp = this.stamps[index] ?? -1;
      if (stamp >= 0 && slot - stamp < this.bucketCount) {
        total += this.totals[index] ?? 0;
        marked += this.marks[index] ?? 0;
      }
    }
    return { total, marked };
  }

  clear(): void {
    this.stamps.fill(-1);
  }
}
