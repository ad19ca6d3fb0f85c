import type { ChaosScenario } from "./chaos-scenarios.js";
import { servedBy } from "./chaos-upstreams.js";
import { percentile, round } from "./latency-summary.js";
import type { RequestRecord } from "./open-loop.js";
import type { UpstreamCall } from "./server-process.js";

/** One contender's figures in one scenario. */
export interface ChaosFigures {
  /** Answered completely and correctly, 0..1. */
  successRate: number;
  p50Ms: number;
  p99Ms: number;
  /** Upstream chat requests (every attempt, refused connections and hedges included) per client request. */
  upstreamCallsPerRequest: number;
  /**
   * Fault start to the moment traffic moved off the faulty upstream: its last call before a pause
   * of half a second, or 25 request intervals if longer (its circuit opened or it cools down; a
   * stalled load generator does not pause calls that long). The median over fault periods;
   * `null` when calls to it never paused (every request still tried it first).
   */
  detectMs: number | null;
  /** Fault end to the first request sent after it that the faulty upstream served; the median over periods. */
  recoverMs: number | null;
  /** Upstream calls per request sent after detection until the fault ended. */
  upstreamCallsPerRequestAfterDetect: number | null;
  requests: number;
  failures: number;
  /** The most common failure reasons, with counts. */
  failureReasons: Record<string, number>;
}

export interface AnalyzeOptions {
  scenario: ChaosScenario;
  /** Epoch ms the scenario started at (fault windows count from it). */
  startedAt: number;
  records: readonly RequestRecord[];
  /** Upstream calls the contender made during the scenario, any origin. */
  calls: readonly UpstreamCall[];
  /** Origins of this scenario's upstreams. */
  origins: readonly string[];
  /** Whether a call went to the faulty upstream (origin, and key for a key pool). */
  isFaultyCall: (call: UpstreamCall) => boolean;
  /** A pause in calls to the faulty upstream at least this long means traffic moved off it. */
  detectGapMs: number;
}

/**
 * When traffic moved off the faulty upstream in [start, end): the time of its last call before a
 * gap of at least `gapMs` (no call for that long: its circuit is open or it cools down; a later
 * half-open trial starts a new burst, but the first gap counts). With no call at all in the window
 * (it was still being skipped from before), the window's first request. `undefined` when calls
 * never stopped.
 */
export function detectionTime(
  sentAt: readonly number[],
  faultyCallsAt: readonly number[],
  start: number,
  end: number,
  gapMs: number,
): number | undefined {
  const faulty = faultyCallsAt.filter((at) => at >= start && at < end);
  if (faulty.length === 0) return sentAt.find((at) => at >= start && at < end);
  for (let index = 0; index < faulty.length; index++) {
    const at = faulty[index] as number;
    const next = faulty[index + 1] ?? end;
    if (next - at >= gapMs && end - at >= gapMs) return at;
  }
  return undefined;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(percentile(sorted, 0.5), 0);
}

export function analyzeContender(options: AnalyzeOptions): ChaosFigures {
  const { scenario, startedAt, records } = options;
  const calls = options.calls.filter(
    (call) => options.origins.includes(call.origin) && call.path.includes("/chat/completions"),
  );
  const isFaulty = (label: string | undefined) =>
    scenario.faulty !== undefined &&
    label !== undefined &&
    (label === scenario.faulty || label.startsWith(`${scenario.faulty}:`));
  const sorted = [...records].sort((a, b) => a.sentAt - b.sentAt);
  const detections: number[] = [];
  const recoveries: number[] = [];
  let callsAfterDetect = 0;
  let requestsAfterDetect = 0;
  if (scenario.faulty !== undefined) {
    const sentAt = sorted.map((record) => record.sentAt);
    const faultyCallsAt = calls
      .filter(options.isFaultyCall)
      .map((call) => call.at)
      .sort((a, b) => a - b);
    for (const window of scenario.windows) {
      const start = startedAt + window.startMs;
      const end = startedAt + window.endMs;
      const detectedAt = detectionTime(sentAt, faultyCallsAt, start, end, options.detectGapMs);
      if (detectedAt !== undefined) {
        detections.push(detectedAt - start);
        // From the first request sent after detection, so calls of requests already under way
        // (their fallback attempts) are not counted against the ones that follow.
        const from = sentAt.find((at) => at > detectedAt) ?? end;
        callsAfterDetect += calls.filter((call) => call.at >= from && call.at < end).length;
        requestsAfterDetect += sentAt.filter((at) => at >= from && at < end).length;
      }
      const recovered = sorted.find(
        (record) => record.sentAt >= end && record.ok && isFaulty(servedBy(record.text)),
      );
      if (recovered) recoveries.push(recovered.sentAt - end);
    }
  }
  const latencies = sorted.map((record) => record.latencyMs).sort((a, b) => a - b);
  const failed = sorted.filter((record) => !record.ok);
  const reasons: Record<string, number> = {};
  for (const record of failed) {
    const reason = (record.error ?? `status ${record.status}`).slice(0, 80);
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  const topReasons = Object.fromEntries(
    Object.entries(reasons)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3),
  );
  const total = sorted.length;
  return {
    successRate: total > 0 ? round((total - failed.length) / total, 4) : 0,
    p50Ms: round(percentile(latencies, 0.5), 1),
    p99Ms: round(percentile(latencies, 0.99), 1),
    upstreamCallsPerRequest: total > 0 ? round(calls.length / total, 3) : 0,
    detectMs: median(detections),
    recoverMs: median(recoveries),
    upstreamCallsPerRequestAfterDetect:
      requestsAfterDetect > 0 ? round(callsAfterDetect / requestsAfterDetect, 3) : null,
    requests: total,
    failures: failed.length,
    failureReasons: topReasons,
  };
}

/** Latency (p99) of the requests sent before the fault began: the healthy path's. */
export function healthyP99Ms(
  records: readonly RequestRecord[],
  startedAt: number,
  scenario: ChaosScenario,
): number {
  const faultStart = startedAt + (scenario.windows[0]?.startMs ?? 0);
  const before = records
    .filter((record) => record.sentAt < faultStart && record.ok)
    .map((record) => record.latencyMs)
    .sort((a, b) => a - b);
  return round(percentile(before, 0.99), 1);
}
