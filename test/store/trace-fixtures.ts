import type { AttemptTrace, RequestTrace } from "../../src/store/request-trace.js";

/** 2026-11-15 12:00:00 UTC: the tests' "now". */
export const NOW = Date.UTC(2026, 10, 15, 12, 0, 0);
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

let sequence = 0;

/** A successful one-attempt request; override what the test is about. */
export function makeTrace(overrides: Partial<RequestTrace> = {}): RequestTrace {
  sequence++;
  const attempts: AttemptTrace[] = overrides.attempts ?? [
    {
      targetId: "alpha/model-a",
      provider: "alpha",
      keyId: "main",
      upstreamModel: "model-a",
      outcome: "success",
      attempt: 1,
      hedge: false,
      startedAfterMs: 0,
      latencyMs: 120,
    },
  ];
  return {
    id: `req_${String(sequence).padStart(6, "0")}`,
    startedAt: NOW - sequence * 1000,
    client: "acme",
    model: "smart",
    protocol: "chat",
    stream: false,
    outcome: "success",
    status: 200,
    targetId: "alpha/model-a",
    provider: "alpha",
    upstreamModel: "model-a",
    latencyMs: 130,
    inputTokens: 1000,
    outputTokens: 200,
    cachedInputTokens: 0,
    costUsd: 0.001,
    ...overrides,
    attempts,
  };
}

/** A request's full story: a skip, a failure and its retry, a hedge that lost, the winner. */
export const ATTEMPT_CHAIN: AttemptTrace[] = [
  {
    targetId: "beta/model-b",
    provider: "beta",
    outcome: "skipped",
    skippedReason: "circuit_open",
    startedAfterMs: 0,
  },
  {
    targetId: "alpha#k1/model-a",
    provider: "alpha",
    keyId: "k1",
    upstreamModel: "model-a",
    outcome: "failure",
    attempt: 1,
    hedge: false,
    errorKind: "rate_limited",
    status: 429,
    startedAfterMs: 1,
    latencyMs: 30,
    message: "alpha answered 429",
  },
  {
    targetId: "alpha#k1/model-a",
    provider: "alpha",
    keyId: "k1",
    upstreamModel: "model-a",
    outcome: "failure",
    attempt: 2,
    hedge: false,
    errorKind: "transient",
    status: 503,
    startedAfterMs: 250,
    latencyMs: 40,
  },
  {
    targetId: "gamma/model-c",
    provider: "gamma",
    keyId: "main",
    upstreamModel: "model-c",
    outcome: "aborted",
    attempt: 1,
    hedge: true,
    startedAfterMs: 300,
    latencyMs: 15,
    message: "another attempt won",
  },
  {
    targetId: "alpha#k2/model-a",
    provider: "alpha",
    keyId: "k2",
    upstreamModel: "model-a",
    outcome: "success",
    attempt: 1,
    hedge: false,
    startedAfterMs: 290,
    latencyMs: 80,
  },
];
