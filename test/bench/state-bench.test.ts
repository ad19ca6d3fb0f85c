import { describe, expect, it } from "vitest";
import { runStateBench, STATE_TARGETS } from "../../bench/support/state-bench.js";

describe("state benchmark core (a tiny run)", () => {
  it("measures memory, Redis and Redis plus traces, and reports a finite cost", async () => {
    const report = await runStateBench({
      rounds: 1,
      cellSeconds: 1,
      warmupSeconds: 0,
      connections: 4,
      viaTsx: true,
    });
    for (const target of STATE_TARGETS) {
      const figures = report[target];
      expect(figures.rps).toBeGreaterThan(0);
      expect(figures.roundsRps).toHaveLength(1);
      expect(figures.p50Ms).toBeGreaterThan(0);
      expect(figures.p99Ms).toBeGreaterThanOrEqual(figures.p50Ms);
      expect(figures.cpuUsPerRequest).toBeGreaterThan(0);
      expect(figures.errors).toBe(0);
    }
    // Nothing in these configs (no client rate limit, no maxConcurrency) needs Redis per request:
    // what Redis sees is the gateways' background traffic (health checks), far below one a request.
    for (const target of STATE_TARGETS) {
      expect(report[target].redisCommandsPerRequest).toBeLessThan(0.5);
    }
    expect(report.cost).toBe(
      Math.round((1 - report.redisAndTraces.rps / report.memory.rps) * 1000) / 1000,
    );
    expect(report.cost).toBeLessThan(1);
    expect(report.costAtMost015).toBe((report.cost ?? 1) <= 0.15);
    // The --json output is one object with the same figures.
    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(json.memory.rps).toBe(report.memory.rps);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["memory", "redis", "redisAndTraces", "cost"]),
    );
  }, 60_000);
});
