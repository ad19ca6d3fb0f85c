import { describe, expect, it } from "vitest";
import type { CallReport } from "../engine/call.js";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../errors/attempt-record.js";
import { ProviderError } from "../errors/provider-error.js";
import { GatewayRequestError } from "../gateway/protocols/gateway-request-error.js";
import { errorClass, type TargetInfo, traceFromReport } from "./trace-from-report.js";

const targets = new Map<string, TargetInfo>([
  ["alpha#k1/model-a", { provider: "alpha", keyId: "k1", model: "model-a" }],
  ["alpha#k2/model-a", { provider: "alpha", keyId: "k2", model: "model-a" }],
  ["beta/model-b", { provider: "beta", keyId: "none", model: "model-b" }],
]);

const failure: AttemptRecord = {
  outcome: "failure",
  targetId: "alpha#k1/model-a",
  attempt: 1,
  startedAfterMs: 0.4,
  latencyMs: 31.2,
  hedge: false,
  kind: "rate_limited",
  status: 429,
  message: "alpha answered 429",
  error: new ProviderError("alpha answered 429", { kind: "rate_limited", status: 429 }),
};

const base = {
  id: "req_1",
  startedAt: 1_763_208_000_000.6,
  client: "acme",
  model: "smart",
  protocol: "chat",
  stream: false,
};

describe("traceFromReport", () => {
  it("turns a served call's report into a trace: target, attempts by key, tokens and cost", () => {
    const report: CallReport = {
      targetId: "alpha#k2/model-a",
      cached: false,
      stale: false,
      hedged: false,
      latencyMs: 250,
      attempts: [
        {
          outcome: "skipped",
          targetId: "beta/model-b",
          startedAfterMs: 0,
          reason: "circuit_open",
          availableInMs: 900,
        },
        failure,
        {
          outcome: "success",
          targetId: "alpha#k2/model-a",
          attempt: 1,
          startedAfterMs: 32,
          latencyMs: 200,
          hedge: false,
        },
      ],
    };
    const trace = traceFromReport({
      ...base,
      outcome: "success",
      status: 200,
      report,
      targets,
      latencyMs: 260,
      usage: { inputTokens: 1_000_000, outputTokens: 100_000, cachedInputTokens: 200_000 },
      pricing: {
        "model-a": { input: 2, output: 8, cachedInput: 0.5 },
        smart: { input: 100, output: 100 },
      },
    });
    expect(trace).toEqual({
      id: "req_1",
      startedAt: 1_763_208_000_001,
      client: "acme",
      model: "smart",
      protocol: "chat",
      stream: false,
      outcome: "success",
      status: 200,
      targetId: "alpha#k2/model-a",
      provider: "alpha",
      upstreamModel: "model-a",
      cached: false,
      latencyMs: 260,
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cachedInputTokens: 200_000,
      costUsd: 2.5, // 800k x 2 + 200k x 0.5 + 100k x 8, per million
      attempts: [
        {
          targetId: "beta/model-b",
          provider: "beta",
          keyId: "none",
          upstreamModel: "model-b",
          outcome: "skipped",
          startedAfterMs: 0,
          skippedReason: "circuit_open",
        },
        {
          targetId: "alpha#k1/model-a",
          provider: "alpha",
          keyId: "k1",
          upstreamModel: "model-a",
          outcome: "failure",
          startedAfterMs: 0.4,
          attempt: 1,
          hedge: false,
          latencyMs: 31.2,
          errorKind: "rate_limited",
          status: 429,
          message: "alpha answered 429",
        },
        {
          targetId: "alpha#k2/model-a",
          provider: "alpha",
          keyId: "k2",
          upstreamModel: "model-a",
          outcome: "success",
          startedAfterMs: 32,
          attempt: 1,
          hedge: false,
          latencyMs: 200,
        },
      ],
    });
    // In declaration order (the order the dashboard's JSON shows), absent fields never set.
    expect(Object.keys(trace)).toEqual([
      "id",
      "startedAt",
      "client",
      "model",
      "protocol",
      "stream",
      "outcome",
      "status",
      "targetId",
      "provider",
      "upstreamModel",
      "cached",
      "latencyMs",
      "inputTokens",
      "outputTokens",
      "cachedInputTokens",
      "costUsd",
      "attempts",
    ]);
    expect(Object.keys(trace.attempts[1] ?? {})).toEqual([
      "targetId",
      "provider",
      "keyId",
      "upstreamModel",
      "outcome",
      "startedAfterMs",
      "attempt",
      "hedge",
      "latencyMs",
      "errorKind",
      "status",
      "message",
    ]);
  });

  it("takes the attempts from an all-providers-unavailable error when there is no report", () => {
    const error = new AllProvidersUnavailableError([failure], undefined);
    const trace = traceFromReport({
      ...base,
      outcome: "error",
      status: 503,
      error,
      targets,
      latencyMs: 40,
    });
    expect(trace.errorClass).toBe("all_providers_unavailable");
    expect(trace.errorMessage).toMatch(/^all providers unavailable: alpha#k1\/model-a failed/);
    expect(trace.attempts.map((attempt) => [attempt.keyId, attempt.outcome])).toEqual([
      ["k1", "failure"],
    ]);
    expect(trace).not.toHaveProperty("target");
    expect(trace).not.toHaveProperty("costUsd");
  });

  it("prices by the model asked when the upstream model has no price, and a cache hit at zero", () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 };
    const pricing = { smart: { input: 3, output: 3 } };
    const report: CallReport = {
      targetId: undefined,
      attempts: [],
      cached: true,
      stale: false,
      hedged: false,
      latencyMs: 1,
    };
    expect(
      traceFromReport({ ...base, outcome: "success", latencyMs: 5, usage, pricing }).costUsd,
    ).toBe(3);
    expect(
      traceFromReport({ ...base, outcome: "success", latencyMs: 5, usage, pricing, report })
        .costUsd,
    ).toBe(0);
    expect(
      traceFromReport({ ...base, outcome: "success", latencyMs: 5, usage, pricing: {} }),
    ).not.toHaveProperty("costUsd");
  });

  it("classes errors by kind, code or name, and cuts long messages", () => {
    expect(errorClass(new ProviderError("x", { kind: "timeout" }))).toBe("timeout");
    expect(
      errorClass(new GatewayRequestError("over", { status: 429, code: "budget_exceeded" })),
    ).toBe("budget_exceeded");
    expect(errorClass(new TypeError("x"))).toBe("TypeError");
    expect(errorClass("a string")).toBe("unknown");
    const trace = traceFromReport({
      ...base,
      outcome: "error",
      latencyMs: 1,
      error: new Error("e".repeat(5000)),
    });
    expect(trace.errorMessage).toHaveLength(1003);
  });
});
