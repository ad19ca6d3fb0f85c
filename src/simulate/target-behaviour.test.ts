import { describe, expect, it } from "vitest";
import { ProviderError } from "../errors/provider-error.js";
import { parseScenarioText } from "./parse-scenario-text.js";
import { resolveProfile } from "./resolve-profile.js";
import { SeededRandom } from "./seeded-random.js";
import { type AttemptPlan, type CapacityWindow, TargetBehaviour } from "./target-behaviour.js";

function behaviour(providersYaml: string, keyId = "key-1", model = "big") {
  const scenario = parseScenarioText(
    `durationMs: 1h\ntraffic: { rate: 1 }\nproviders:\n${providersYaml}`,
  );
  const capacity = new Map<string, CapacityWindow>();
  const make = (key: string) =>
    new TargetBehaviour({
      provider: "primary",
      adapterId: `primary#${key}`,
      profile: resolveProfile(scenario, { provider: "primary", keyId: key, model }),
      random: new SeededRandom(1),
      capacity,
    });
  return { target: make(keyId), other: make("key-2") };
}

function errorOf(plan: AttemptPlan): ProviderError {
  if (plan.type !== "fail") throw new Error(`expected a failure, got ${plan.type}`);
  return plan.error;
}

describe("TargetBehaviour", () => {
  it("refuses connections during an outage (transient), and hangs in hang mode", () => {
    const { target } = behaviour(
      [
        "  primary:",
        "    latency: 500",
        "    faults:",
        "      - { type: outage, from: 1m, to: 2m }",
        "      - { type: outage, from: 5m, to: 6m, mode: hang }",
      ].join("\n"),
    );
    expect(target.plan(59_999, false)).toMatchObject({ type: "serve", latencyMs: 500 });
    const refused = errorOf(target.plan(60_000, false));
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({
      kind: "transient",
      vendorCode: "ECONNREFUSED",
      provider: "primary",
    });
    expect(target.plan(120_000, false).type).toBe("serve");
    expect(target.plan(330_000, false)).toEqual({ type: "hang" });
    expect(target.probe(90_000).type).toBe("fail");
    expect(target.probe(200_000).type).toBe("serve");
  });

  it("answers with the status of an error rate, classified like a real adapter", () => {
    const { target } = behaviour(
      "  primary:\n    faults: [{ type: errorRate, rate: 1, status: 503 }, { type: errorRate, rate: 1, status: 401, from: 1m }]",
    );
    expect(errorOf(target.plan(0, false))).toMatchObject({ kind: "transient", status: 503 });
    const { target: auth } = behaviour(
      "  primary:\n    faults: [{ type: errorRate, rate: 1, status: 401 }]",
    );
    expect(errorOf(auth.plan(0, false))).toMatchObject({ kind: "auth", status: 401 });
  });

  it("gives quota exhaustion precedence and marks it as such", () => {
    const { target } = behaviour(
      "  primary#key-1:\n    faults: [{ type: quotaExhausted, from: 10s }, { type: outage }]",
    );
    expect(errorOf(target.plan(5000, false)).kind).toBe("transient");
    expect(errorOf(target.plan(10_000, false))).toMatchObject({
      kind: "quota_exhausted",
      status: 429,
      vendorCode: "insufficient_quota",
    });
  });

  it("rate limits beyond a capacity per second, per key, with retry-after", () => {
    const { target, other } = behaviour(
      "  primary:\n    faults: [{ type: rateLimit, capacityPerSecond: 2 }]",
    );
    expect(target.plan(1000, false).type).toBe("serve");
    expect(target.plan(1100, false).type).toBe("serve");
    expect(errorOf(target.plan(1200, false))).toMatchObject({
      kind: "rate_limited",
      status: 429,
      retryAfterMs: 800,
    });
    expect(other.plan(1300, false).type).toBe("serve");
    expect(target.plan(2000, false).type).toBe("serve");
  });

  it("slows answers down and cuts streams after their first chunk", () => {
    const { target } = behaviour(
      [
        "  primary:",
        "    latency: 1000",
        "    firstChunkRatio: 0.25",
        "    faults:",
        "      - { type: slowdown, factor: 3, addMs: 500, from: 1m }",
        "      - { type: streamCut, rate: 1 }",
      ].join("\n"),
    );
    expect(target.plan(0, false)).toEqual({
      type: "serve",
      latencyMs: 1000,
      firstChunkMs: 250,
      cutAtMs: undefined,
    });
    const slow = target.plan(60_000, true);
    if (slow.type !== "serve") throw new Error("expected an answer");
    expect(slow.latencyMs).toBe(3500);
    expect(slow.cutAtMs).toBeGreaterThanOrEqual(875);
    expect(slow.cutAtMs).toBeLessThan(3500);
  });

  it("applies periodic faults only in the active part of each period", () => {
    const { target } = behaviour(
      "  primary:\n    faults: [{ type: outage, from: 1m, to: 10m, periodMs: 1m, activeMs: 15s }]",
    );
    expect(target.plan(60_000, false).type).toBe("fail");
    expect(target.plan(74_999, false).type).toBe("fail");
    expect(target.plan(75_000, false).type).toBe("serve");
    expect(target.plan(120_000, false).type).toBe("fail");
    expect(target.plan(600_000, false).type).toBe("serve");
  });

  it("merges entries from least to most specific: later latency wins, faults add up", () => {
    const scenario = parseScenarioText(
      [
        "durationMs: 1h",
        "traffic: { rate: 1 }",
        "providers:",
        '  "*": { latency: 100, faults: [{ type: errorRate, rate: 0.1 }] }',
        "  primary/big: { latency: 300 }",
        "  primary: { latency: 200, faults: [{ type: streamCut, rate: 0.1 }] }",
      ].join("\n"),
    );
    const profile = resolveProfile(scenario, { provider: "primary", keyId: "k", model: "big" });
    expect(profile.latency).toEqual({ kind: "fixed", ms: 300 });
    expect(profile.faults.map((fault) => fault.declaration)).toEqual(["*#0", "primary#0"]);
    const other = resolveProfile(scenario, { provider: "backup", keyId: "k", model: "big" });
    expect(other.latency).toEqual({ kind: "fixed", ms: 100 });
  });
});
