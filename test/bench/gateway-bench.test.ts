import { describe, expect, it } from "vitest";
import {
  DEFAULT_GATEWAY_SETTINGS,
  GATEWAY_TARGETS,
  runGatewayBench,
} from "../../bench/support/gateway-bench.js";
import { gatewayMarkdown } from "../../bench/support/gateway-markdown.js";

const FIGURE_KEYS = ["rps", "p50Ms", "p99Ms", "ttfbP50Ms", "cpuUsPerRequest", "rssMb"];

describe("gateway benchmark core (a tiny run)", () => {
  it("measures every target and reports finite ratios against the proxy", async () => {
    const report = await runGatewayBench({
      ...DEFAULT_GATEWAY_SETTINGS,
      rounds: 1,
      cellSeconds: 0.3,
      ttfbSeconds: 0.3,
      warmupSeconds: 0,
      connections: 4,
      ratePerSecond: 25,
      streamChunks: 3,
      cells: ["throughput", "latency", "ttfb"],
      viaTsx: true,
    });
    expect(Object.keys(report.targets).sort()).toEqual([...GATEWAY_TARGETS].sort());
    for (const target of GATEWAY_TARGETS) {
      const figures = report.targets[target];
      for (const key of FIGURE_KEYS) expect(figures).toHaveProperty(key);
      expect(figures.rps).toBeGreaterThan(0);
      expect(figures.p50Ms).toBeGreaterThan(0);
      expect(figures.p99Ms).toBeGreaterThanOrEqual(figures.p50Ms);
      expect(figures.ttfbP50Ms).toBeGreaterThan(0);
      expect(figures.cpuUsPerRequest).toBeGreaterThan(0);
      expect(figures.fixedRateCpuUsPerRequest).toBeGreaterThan(0);
      expect(figures.rssMb).toBeGreaterThan(10);
      expect(figures.errors).toBe(0);
    }
    for (const name of [
      "throughput",
      "latencyP50",
      "ttfbP50",
      "cpuPerRequestAtFixedRate",
    ] as const) {
      expect(Number.isFinite(report.ratios[name])).toBe(true);
      expect(report.ratios[name]).toBeGreaterThan(0);
    }
    expect(report.rssOverProxyMb).toBeCloseTo(
      report.targets.switchyard.rssMb - report.targets.proxy.rssMb,
      0,
    );
    // The summary and --json output carry the same figures.
    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(json.ratios.throughput).toBe(report.ratios.throughput);
    const page = gatewayMarkdown(report);
    expect(page).toContain(`| ${report.targets.proxy.rps} |`);
    expect(page).toMatch(/\| RSS after the run, over the proxy's \| [+-]?\d+(\.\d)? MB \|/);
  }, 30_000);
});
