import type { Clock } from "../engine/clock.js";

export interface TargetSeriesOptions {
  clock: Clock;
  /** Width of one bucket. Default 10000. */
  bucketMs?: number;
  /** Buckets kept per series. Default 90 (15 minutes of 10 s buckets). */
  buckets?: number;
}

/** One series over the kept window, oldest bucket first. */
export interface SeriesSnapshot {
  successes: number[];
  failures: number[];
  /** Mean latency of the bucket's attempts in milliseconds, or null when it had none. */
  meanLatencyMs: (number | null)[];
}

export interface SeriesWindow {
  bucketMs: number;
  /** Start of the oldest bucket, epoch milliseconds. */
  startMs: number;
  series: Record<string, SeriesSnapshot>;
}

interface Ring {
  /** The bucket number (time / bucketMs) each slot holds. */
  slots: Float64Array;
  successes: Uint32Array;
  failures: Uint32Array;
  latencySumMs: Float64Array;
}

/**
 * Per-key counts in fixed time buckets over a short window (the dashboard's charts): memory is
 * fixed per key, a write is O(1), and slots older than the window are recycled as time moves on.
 */
export class TargetSeries {
  readonly bucketMs: number;
  readonly buckets: number;
  private readonly clock: Clock;
  private readonly rings = new Map<string, Ring>();

  constructor(options: TargetSeriesOptions) {
    this.clock = options.clock;
    this.bucketMs = options.bucketMs ?? 10_000;
    this.buckets = options.buckets ?? 90;
  }

  record(key: string, ok: boolean, latencyMs: number): void {
    const bucket = Math.floor(this.clock.now() / this.bucketMs);
    const ring = this.ring(key);
    const slot = bucket % this.buckets;
    if (ring.slots[slot] !== bucket) {
      ring.slots[slot] = bucket;
      ring.successes[slot] = 0;
      ring.failures[slot] = 0;
      ring.latencySumMs[slot] = 0;
    }
    if (ok) ring.successes[slot] = (ring.successes[slot] ?? 0) + 1;
    else ring.failures[slot] = (ring.failures[slot] ?? 0) + 1;
    ring.latencySumMs[slot] = (ring.latencySumMs[slot] ?? 0) + Math.max(0, latencyMs);
  }

  /** Every key's buckets, ending with the current one; `keys` limits which. */
  snapshot(keys?: Iterable<string>): SeriesWindow {
    const last = Math.floor(this.clock.now() / this.bucketMs);
    const first = last - this.buckets + 1;
    const series: Record<string, SeriesSnapshot> = {};
    for (const key of keys ?? this.rings.keys()) {
      const ring = this.rings.get(key);
      const snapshot: SeriesSnapshot = { successes: [], failures: [], meanLatencyMs: [] };
      for (let bucket = first; bucket <= last; bucket++) {
        const slot = bucket % this.buckets;
        const live = ring !== undefined && ring.slots[slot] === bucket;
        const successes = live ? (ring.successes[slot] ?? 0) : 0;
        const failures = live ? (ring.failures[slot] ?? 0) : 0;
        const count = successes + failures;
        snapshot.successes.push(successes);
        snapshot.failures.push(failures);
        snapshot.meanLatencyMs.push(
          live && count > 0 ? Math.round((ring.latencySumMs[slot] ?? 0) / count) : null,
        );
      }
      series[key] = snapshot;
    }
    return { bucketMs: this.bucketMs, startMs: first * this.bucketMs, series };
  }

  /** Drops keys not in `keep` (targets gone after a reload). */
  retain(keep: ReadonlySet<string>): void {
    for (const key of this.rings.keys()) if (!keep.has(key)) this.rings.delete(key);
  }

  private ring(key: string): Ring {
    let ring = this.rings.get(key);
    if (!ring) {
      ring = {
        slots: new Float64Array(this.buckets).fill(-1),
        successes: new Uint32Array(this.buckets),
        failures: new Uint32Array(this.buckets),
        latencySumMs: new Float64Array(this.buckets),
      };
      this.rings.set(key, ring);
    }
    return ring;
  }
}
