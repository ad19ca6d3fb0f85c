import { describe, expect, it } from "vitest";
import { DEFAULT_CHAOS_SETTINGS, runChaosBench } from "../../bench/support/chaos-bench.js";

const FIGURE_KEYS = [
  "successRate",
  "p50Ms",
  "p99Ms",
  "upstreamCallsPerRequest",
  "detectMs",
  "recoverMs",
];

describe("chaos benchmark core (a tiny run)", () => {
  it("runs a scenario for Switchyard and the sequential baseline side by side", async () => {
    const report = await runChaosBench({
      ...DEFAULT_CHAOS_SETTINGS,
      scenarios: ["outage", "quotaExhaustedKey"],
      scenarioSeconds: 1.5,
      ratePerSecond: 20,
      baseLatencyMs: 5,
      viaTsx: true,
    });
    expect(Object.keys(report.scenarios)).toEqual(["outage", "quotaExhaustedKey"]);
    for (const scenario of Object.values(report.scenarios)) {
      for (const contender of [scenario?.switchyard, scenario?.sequential]) {
        for (const key of FIGURE_KEYS) expect(contender).toHaveProperty(key);
        expect(contender?.requests).toBe(30);
        expect(contender?.successRate).toBeGreaterThanOrEqual(0);
        expect(contender?.successRate).toBeLessThanOrEqual(1);
        expect(contender?.p99Ms).toBeGreaterThanOrEqual(contender?.p50Ms ?? 0);
      }
      // The baseline tries every provider in order on every request: never fewer calls than requests.
      expect(scenario?.sequential.upstreamCallsPerRequest).toBeGreaterThanOrEqual(1);
      // ...and never stops trying the faulty one first.
      expect(scenario?.sequential.detectMs).toBeNull();
    }
    // During the outage the baseline's first attempt is refused, so it needs more than one call.
    expect(report.scenarios.outage?.sequential.upstreamCallsPerRequest).toBeGreaterThan(1);
    expect(report.scenarios.outage?.sequential.successRate).toBe(1);
  }, 30_000);
});
