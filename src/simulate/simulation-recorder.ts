import type { ProviderStatus } from "../engine/provider-factory.js";
import {
  type CircuitTimeline,
  type LatencySummary,
  quantile,
  type RequestSummary,
  round,
  type SimulationReport,
  type TargetSummary,
} from "./simulation-report.js";

/** How one client request ended. Times are milliseconds since the start of the run. */
export interface RequestOutcome {
  model: string;
  arrivedMs: number;
  streaming: boolean;
  ok: boolean;
  latencyMs: number;
  firstChunkMs: number | undefined;
  upstreamCalls: number;
  cost: number;
  /** The target that answered. */
  served: string | undefined;
  /** The error code of a failure. */
  error: string | undefined;
  /** A stream that failed after its first chunk. */
  interrupted: boolean;
  /** Times the stream was continued on another target after a cut (`streamRecovery`). */
  continued: number;
}

const STATUSES: readonly ProviderStatus[] = [
  "healthy",
  "cooling_down",
  "unhealthy",
  "half_open",
  "open",
];

/** Collects what a run produces and turns it into a `SimulationReport`. */
export class SimulationRecorder {
  readonly bucketCount: number;
  private readonly outcomes: RequestOutcome[] = [];
  private readonly arrivals = new Map<string, number>();
  private readonly arrivalsByBucket: number[];
  private readonly attempts = new Map<string, number[]>();
  private readonly failures = new Map<string, number>();
  private readonly targets = new Map<string, { provider: string; model: string }>();
  private readonly circuitCounts: Int32Array[];

  constructor(
    durationMs: number,
    private readonly bucketMs: number,
    private readonly circuits: readonly { model: string; target: string }[],
  ) {
    this.bucketCount = Math.max(1, Math.ceil(durationMs / bucketMs));
    this.arrivalsByBucket = new Array<number>(this.bucketCount).fill(0);
    this.circuitCounts = circuits.map(() => new Int32Array(this.bucketCount * STATUSES.length));
  }

  bucketOf(elapsedMs: number): number {
    return Math.min(this.bucketCount - 1, Math.max(0, Math.floor(elapsedMs / this.bucketMs)));
  }

  knowTarget(id: string, provider: string, model: string): void {
    if (!this.targets.has(id)) this.targets.set(id, { provider, model });
  }

  arrived(model: string, elapsedMs: number): void {
    this.arrivals.set(model, (this.arrivals.get(model) ?? 0) + 1);
    this.arrivalsByBucket[this.bucketOf(elapsedMs)] =
      (this.arrivalsByBucket[this.bucketOf(elapsedMs)] ?? 0) + 1;
  }

  finished(outcome: RequestOutcome): void {
    this.outcomes.push(outcome);
  }

  attempt(target: string, elapsedMs: number): void {
    let series = this.attempts.get(target);
    if (!series) {
      series = new Array<number>(this.bucketCount).fill(0);
      this.attempts.set(target, series);
    }
    const bucket = this.bucketOf(elapsedMs);
    series[bucket] = (series[bucket] ?? 0) + 1;
  }

  failure(target: string): void {
    this.failures.set(target, (this.failures.get(target) ?? 0) + 1);
  }

  /** One sample of circuit `index` (in the order given to the constructor). */
  sample(index: number, elapsedMs: number, status: ProviderStatus | undefined): void {
    const counts = this.circuitCounts[index];
    if (!counts || status === undefined) return;
    const offset = this.bucketOf(elapsedMs) * STATUSES.length + STATUSES.indexOf(status);
    counts[offset] = (counts[offset] ?? 0) + 1;
  }

  build(scenario: SimulationReport["scenario"]): SimulationReport {
    const models: Record<string, RequestSummary> = {};
    for (const model of [...this.arrivals.keys()].sort()) {
      models[model] = summarize(
        this.outcomes.filter((outcome) => outcome.model === model),
        this.arrivals.get(model) ?? 0,
      );
    }
    const total = [...this.arrivals.values()].reduce((sum, count) => sum + count, 0);
    return {
      scenario,
      summary: summarize(this.outcomes, total),
      models,
      targets: this.targetSummaries(),
      timeline: this.timeline(),
    };
  }

  private targetSummaries(): Record<string, TargetSummary> {
    const served = new Map<string, number>();
    for (const outcome of this.outcomes) {
      if (outcome.served !== undefined) {
        served.set(outcome.served, (served.get(outcome.served) ?? 0) + 1);
      }
    }
    const summaries: Record<string, TargetSummary> = {};
    for (const id of [...this.targets.keys()].sort()) {
      const target = this.targets.get(id);
      if (!target) continue;
      const attempts = (this.attempts.get(id) ?? []).reduce((sum, count) => sum + count, 0);
      summaries[id] = {
        provider: target.provider,
        model: target.model,
        attempts,
        failures: this.failures.get(id) ?? 0,
        served: served.get(id) ?? 0,
      };
    }
    return summaries;
  }

  private timeline(): SimulationReport["timeline"] {
    const count = this.bucketCount;
    const byBucket: RequestOutcome[][] = Array.from({ length: count }, () => []);
    for (const outcome of this.outcomes) byBucket[this.bucketOf(outcome.arrivedMs)]?.push(outcome);
    const served: Record<string, number[]> = {};
    const attempts: Record<string, number[]> = {};
    for (const id of [...this.targets.keys()].sort()) {
      attempts[id] = this.attempts.get(id) ?? new Array<number>(count).fill(0);
      served[id] = new Array<number>(count).fill(0);
    }
    const successRate: (number | null)[] = [];
    const p50: (number | null)[] = [];
    const p99: (number | null)[] = [];
    const calls: (number | null)[] = [];
    byBucket.forEach((outcomes, bucket) => {
      const arrived = this.arrivalsByBucket[bucket] ?? 0;
      const latencies = sortedLatencies(outcomes);
      successRate.push(
        arrived === 0 ? null : round(outcomes.filter((o) => o.ok).length / arrived, 4),
      );
      p50.push(roundOrNull(quantile(latencies, 0.5)));
      p99.push(roundOrNull(quantile(latencies, 0.99)));
      const upstream = outcomes.reduce((sum, outcome) => sum + outcome.upstreamCalls, 0);
      calls.push(outcomes.length === 0 ? null : round(upstream / outcomes.length, 3));
      for (const outcome of outcomes) {
        const series = outcome.served === undefined ? undefined : served[outcome.served];
        if (series) series[bucket] = (series[bucket] ?? 0) + 1;
      }
    });
    return {
      bucketMs: this.bucketMs,
      startMs: Array.from({ length: count }, (_, bucket) => bucket * this.bucketMs),
      requests: [...this.arrivalsByBucket],
      successRate,
      p50LatencyMs: p50,
      p99LatencyMs: p99,
      upstreamCallsPerRequest: calls,
      attempts,
      served,
      circuits: this.circuits.map((circuit, index) => this.circuitTimeline(circuit, index)),
    };
  }

  private circuitTimeline(
    circuit: { model: string; target: string },
    index: number,
  ): CircuitTimeline {
    const counts = this.circuitCounts[index] ?? new Int32Array(0);
    const states: ProviderStatus[] = [];
    const openShare: number[] = [];
    for (let bucket = 0; bucket < this.bucketCount; bucket++) {
      let best = 0;
      let total = 0;
      let open = 0;
      STATUSES.forEach((status, statusIndex) => {
        const seen = counts[bucket * STATUSES.length + statusIndex] ?? 0;
        total += seen;
        if (status === "open" || status === "half_open") open += seen;
        if (seen >= (counts[bucket * STATUSES.length + best] ?? 0)) best = statusIndex;
      });
      states.push(STATUSES[best] ?? "healthy");
      openShare.push(total === 0 ? 0 : round(open / total, 3));
    }
    return { model: circuit.model, target: circuit.target, states, openShare };
  }
}

function summarize(outcomes: readonly RequestOutcome[], arrived: number): RequestSummary {
  const succeeded = outcomes.filter((outcome) => outcome.ok);
  const streams = succeeded.filter((outcome) => outcome.firstChunkMs !== undefined);
  const errors: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (!outcome.ok)
      errors[outcome.error ?? "unknown"] = (errors[outcome.error ?? "unknown"] ?? 0) + 1;
  }
  const upstream = outcomes.reduce((sum, outcome) => sum + outcome.upstreamCalls, 0);
  const cost = outcomes.reduce((sum, outcome) => sum + outcome.cost, 0);
  return {
    requests: arrived,
    succeeded: succeeded.length,
    failed: outcomes.length - succeeded.length,
    unfinished: arrived - outcomes.length,
    successRate: arrived === 0 ? null : round(succeeded.length / arrived, 5),
    streams: outcomes.filter((outcome) => outcome.streaming).length,
    streamsInterrupted: outcomes.filter((outcome) => outcome.interrupted).length,
    streamsContinued: outcomes.filter((outcome) => outcome.continued > 0).length,
    latencyMs: latencySummary(sortedLatencies(outcomes)),
    firstChunkMs: latencySummary(
      Float64Array.from(streams.map((outcome) => outcome.firstChunkMs ?? 0)).sort(),
    ),
    upstreamCallsPerRequest: outcomes.length === 0 ? null : round(upstream / outcomes.length, 3),
    costPerRequest: outcomes.length === 0 ? null : round(cost / outcomes.length, 8),
    totalCost: round(cost, 6),
    errors: Object.fromEntries(Object.entries(errors).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function sortedLatencies(outcomes: readonly RequestOutcome[]): Float64Array {
  const values: number[] = [];
  for (const outcome of outcomes) if (outcome.ok) values.push(outcome.latencyMs);
  return Float64Array.from(values).sort();
}

function latencySummary(sorted: Float64Array): LatencySummary {
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    p50: roundOrNull(quantile(sorted, 0.5)),
    p95: roundOrNull(quantile(sorted, 0.95)),
    p99: roundOrNull(quantile(sorted, 0.99)),
    mean: sorted.length === 0 ? null : round(sum / sorted.length),
    max: roundOrNull(sorted.length === 0 ? null : (sorted[sorted.length - 1] ?? null)),
  };
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}
