import type { ProviderStatus } from "../engine/provider-factory.js";

/** Percentiles of a set of durations, in milliseconds (`null` when the set is empty). */
export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
  max: number | null;
}

/** How a set of client requests went. */
export interface RequestSummary {
  requests: number;
  succeeded: number;
  failed: number;
  /** Still running when nothing was left to happen (a hung upstream with no timeout or deadline). */
  unfinished: number;
  /** `succeeded / requests`. */
  successRate: number | null;
  streams: number;
  /** Streams that failed after their first chunk (the client got part of an answer). */
  streamsInterrupted: number;
  /** Streams cut after their first chunk and continued on another target (`streamRecovery`). */
  streamsContinued: number;
  /** End-to-end latency of successful requests (a stream's until its last chunk). */
  latencyMs: LatencySummary;
  /** Time to the first chunk of successful streams. */
  firstChunkMs: LatencySummary;
  upstreamCallsPerRequest: number | null;
  costPerRequest: number | null;
  totalCost: number;
  /** Failed requests by error code (`all_providers_unavailable`, `stream_interrupted`, ...). */
  errors: Record<string, number>;
}

export interface TargetSummary {
  provider: string;
  model: string;
  /** Upstream calls started on it (first attempts, retries, hedges, fallbacks). */
  attempts: number;
  /** Upstream calls that failed (errors and timeouts). */
  failures: number;
  /** Client requests it answered. */
  served: number;
}

/** One model's engine's view of one target over time. */
export interface CircuitTimeline {
  model: string;
  target: string;
  /** Per bucket, the status seen most often (ties go to the worse one). */
  states: ProviderStatus[];
  /** Per bucket, the share of samples with the circuit open or half-open. */
  openShare: number[];
}

export interface Timeline {
  bucketMs: number;
  /** Each bucket's start, in milliseconds since the start of the run. */
  startMs: number[];
  /** Requests that arrived in each bucket; the other series are about those requests. */
  requests: number[];
  successRate: (number | null)[];
  p50LatencyMs: (number | null)[];
  p99LatencyMs: (number | null)[];
  upstreamCallsPerRequest: (number | null)[];
  /** Upstream calls started per target per bucket. */
  attempts: Record<string, number[]>;
  /** Requests answered per target, by the bucket they arrived in. */
  served: Record<string, number[]>;
  circuits: CircuitTimeline[];
}

/** Everything a simulation measured; the same seed, config and scenario give the same report. */
export interface SimulationReport {
  scenario: {
    name: string | null;
    seed: number;
    durationMs: number;
    bucketMs: number;
    healthChecks: boolean;
  };
  summary: RequestSummary;
  models: Record<string, RequestSummary>;
  targets: Record<string, TargetSummary>;
  timeline: Timeline;
}

/** The `p` quantile (0..1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/** Rounds for a report: enough digits to read, few enough to diff. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
