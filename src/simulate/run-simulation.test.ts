import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.js";
import { parseScenarioText } from "./parse-scenario-text.js";
import { runSimulation } from "./run-simulation.js";
import { scenarioNames } from "./scenario-names.js";
import { simulate } from "./simulation.test-helper.js";

const slice = <T>(values: readonly T[], from: number, to: number) => values.slice(from, to);

describe("runSimulation", () => {
  it("gives the same report for the same seed, and another for another seed", async () => {
    const lines = (seed: number) => [
      `seed: ${seed}`,
      "durationMs: 3m",
      "traffic: { rate: 8, models: { chat: 2, hedged: 1 }, streaming: 0.3 }",
      "providers:",
      '  "*": { latency: { medianMs: 700, p99Ms: 3000 }, faults: [{ type: errorRate, rate: 0.05 }] }',
      "  primary: { faults: [{ type: outage, from: 1m, to: 90s }, { type: streamCut, rate: 0.05 }] }",
    ];
    const first = await simulate(...lines(4));
    const second = await simulate(...lines(4));
    const other = await simulate(...lines(5));
    expect(first.report.summary.requests).toBeGreaterThan(1000);
    expect(second.report).toEqual(first.report);
    expect(JSON.stringify(second.report)).toBe(JSON.stringify(first.report));
    expect(other.report.summary.requests).not.toBe(first.report.summary.requests);
  });

  it("keeps success near 100% through an outage; the circuit opens, then closes after it", async () => {
    const { report } = await simulate(
      "durationMs: 20m",
      "bucketMs: 1m",
      "healthChecks: false",
      "traffic: { rate: 5, models: { chat: 1 } }",
      "providers:",
      '  "*": { latency: { medianMs: 500, p99Ms: 2000 } }',
      "  primary: { faults: [{ type: outage, from: 5m, to: 10m }] }",
    );
    const { timeline, summary } = report;
    expect(summary.successRate).toBeGreaterThanOrEqual(0.999);
    const circuit = timeline.circuits.find((entry) => entry.target === "primary/big");
    expect(circuit?.model).toBe("chat");
    const states = circuit?.states ?? [];
    expect(slice(states, 0, 5)).toEqual(Array(5).fill("healthy"));
    expect(slice(states, 6, 10).every((state) => state === "open")).toBe(true);
    expect(slice(states, 15, 20)).toEqual(Array(5).fill("healthy"));
    expect(Math.min(...slice(circuit?.openShare ?? [], 6, 10))).toBeGreaterThan(0.9);
    // Once the circuit is open, calls go straight to the backup: about one upstream call each.
    for (const calls of slice(timeline.upstreamCallsPerRequest, 6, 10)) {
      expect(calls).toBeLessThan(1.05);
    }
    const backup = timeline.attempts["backup/other"] ?? [];
    expect(slice(backup, 0, 5).reduce((a, b) => a + b, 0)).toBe(0);
    expect(Math.min(...slice(timeline.served["backup/other"] ?? [], 6, 10))).toBeGreaterThan(250);
    expect(slice(timeline.served["primary/big"] ?? [], 15, 20).every((n) => n > 250)).toBe(true);
  });

  it("bounds p99 with hedging during a brownout", async () => {
    const { report } = await simulate(
      "durationMs: 10m",
      "traffic: { rate: 6, models: { chat: 1, hedged: 1 } }",
      "providers:",
      "  primary: { latency: { medianMs: 800, p99Ms: 2000 }, faults: [{ type: slowdown, factor: 6 }] }",
      "  backup: { latency: { medianMs: 800, p99Ms: 2000 } }",
    );
    const hedged = report.models.hedged;
    const chat = report.models.chat;
    expect(chat?.latencyMs.p99).toBeGreaterThan(6000);
    // The hedge starts the backup after 1.5 s: at worst 1.5 s plus the backup's tail.
    expect(hedged?.latencyMs.p99).toBeLessThan(4000);
    expect(hedged?.upstreamCallsPerRequest).toBeGreaterThan(1.5);
    expect(hedged?.successRate).toBe(1);
  });

  it("counts streams cut after their first chunk as interrupted", async () => {
    const { report } = await simulate(
      "durationMs: 2m",
      "traffic: { rate: 10, models: { chat: 1 }, streaming: 1 }",
      "providers:",
      '  "*": { latency: 1000, faults: [{ type: streamCut, rate: 0.2 }] }',
    );
    const { summary } = report;
    expect(summary.streams).toBe(summary.requests);
    expect(summary.streamsInterrupted / summary.requests).toBeGreaterThan(0.15);
    expect(summary.streamsInterrupted / summary.requests).toBeLessThan(0.25);
    expect(summary.errors).toEqual({ stream_interrupted: summary.streamsInterrupted });
    expect(summary.firstChunkMs.p50).toBe(200);
  });

  it("continues cut streams on the next target with streamRecovery: { mode: continue }", async () => {
    const { report } = await simulate(
      "durationMs: 2m",
      "traffic: { rate: 10, models: { chat: 1, recovering: 1 }, streaming: 1 }",
      "providers:",
      "  primary: { latency: 1000, faults: [{ type: streamCut, rate: 0.2 }] }",
      "  backup: { latency: 1000 }",
    );
    const failing = report.models.chat;
    const recovering = report.models.recovering;
    expect(failing?.streamsInterrupted).toBeGreaterThan(0);
    expect(failing?.streamsContinued).toBe(0);
    expect(recovering?.streamsInterrupted).toBe(0);
    expect(recovering?.streamsContinued).toBeGreaterThan(0);
    expect(recovering?.successRate).toBe(1);
    // A continued stream pays for its cut attempt and the continuation.
    expect(recovering?.upstreamCallsPerRequest).toBeGreaterThan(1.1);
  });

  it("moves traffic away from a rate-limited or exhausted target without failing requests", async () => {
    const { report } = await simulate(
      "durationMs: 5m",
      "bucketMs: 1m",
      "traffic: { rate: 10, models: { chat: 1 } }",
      "providers:",
      '  "*": { latency: 400 }',
      "  primary: { faults: [{ type: rateLimit, capacityPerSecond: 3, retryAfterMs: 1s }, { type: quotaExhausted, from: 3m }] }",
    );
    const primary = report.targets["primary/big"];
    expect(report.summary.successRate).toBe(1);
    expect(primary?.served).toBeLessThanOrEqual(3 * 180);
    expect(primary?.served).toBeGreaterThan(100);
    const states = report.timeline.circuits[0]?.states ?? [];
    expect(states.slice(3)).toEqual(["cooling_down", "cooling_down"]);
    // Quota answers take 100 ms: calls that started meanwhile meet it too, then none for an hour.
    const [atQuota, after] = (report.timeline.attempts["primary/big"] ?? []).slice(3);
    expect(atQuota).toBeGreaterThan(0);
    expect(atQuota).toBeLessThanOrEqual(3);
    expect(after).toBe(0);
  });

  it("honours a key's rpm limit as the gateway does: the rest fails over to the backup", async () => {
    const text = readFileSync(new URL("./fixtures/two-providers.yaml", import.meta.url), "utf8");
    const limited = text.replace("{ key: sim-primary }", "{ key: sim-primary, rpm: 60 }");
    expect(limited).not.toBe(text);
    const { config } = parseConfigText(limited, { env: {} });
    const scenario = parseScenarioText(
      [
        "durationMs: 3m",
        "bucketMs: 1m",
        "traffic: { rate: 5, models: { chat: 1 } }",
        "providers:",
        '  "*": { latency: { medianMs: 200, p99Ms: 800 } }',
      ].join("\n"),
      { names: scenarioNames(config) },
    );
    const { report } = await runSimulation({ config, scenario });
    const primary = report.timeline.served["primary/big"] ?? [];
    const backup = report.timeline.served["backup/other"] ?? [];
    expect(primary).toHaveLength(3);
    for (const served of primary) {
      expect(served).toBeGreaterThan(0);
      expect(served).toBeLessThanOrEqual(60);
    }
    for (const served of backup) expect(served).toBeGreaterThan(150);
    expect(report.summary.successRate).toBe(1);
  });
});
