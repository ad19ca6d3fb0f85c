/**
 * Recent latencies in a fixed ring (bounded memory), an exponentially weighted moving average for
 * routing, and percentiles computed on demand for metrics.
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;
  private sum = 0;
  private observations = 0;
  ewmaMs: number | undefined;

  constructor(
    capacity = 512,
    private readonly ewmaWeight = 0.2,
  ) {
    this.samples = new Float64Array(capacity);
  }

  record(latencyMs: number): void {
    this.samples[this.next] = latencyMs;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count += 1;
    this.sum += latencyMs;
    this.observations += 1;
    this.ewmaMs =
      this.ewmaMs === undefined
        ? latencyMs
        : this.ewmaMs + this.ewmaWeight * (latencyMs - this.ewmaMs);
  }

  /** Mean over every observation since creation. */
  get averageMs(): number {
    return this.observations === 0 ? 0 : this.sum / this.observations;
  }

  /** Percentiles (0..1) over the recent window, nearest-rank. */
  percentiles(quantiles: readonly number[]): number[] {
    if (this.count === 0) return quantiles.map(() => 0);
    const sorted = this.samples.slice(0, this.count).sort();
    return quantiles.map((quantile) => {
      const rank = Math.min(this.count - 1, Math.max(0, Math.ceil(quantile * this.count) - 1));
      return sorted[rank] ?? 0;
    });
  }
}
