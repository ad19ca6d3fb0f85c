import type { DefaultMetricsCollectorConfiguration, RegistryContentType } from "prom-client";
import { describe, expect, it, vi } from "vitest";
import { systemClock } from "../engine/clock.js";
import { EVENT_LOOP_SAMPLE_MS, GatewayMetrics, type MetricsSources } from "./gateway-metrics.js";

const collected = vi.hoisted(() => [] as unknown[]);

vi.mock("prom-client", async (original) => {
  const actual = await original<typeof import("prom-client")>();
  return {
    ...actual,
    collectDefaultMetrics: (config?: DefaultMetricsCollectorConfiguration<RegistryContentType>) => {
      collected.push(config);
      actual.collectDefaultMetrics(config);
    },
  };
});

const sources: MetricsSources = {
  router: () => {
    throw new Error("not read until a scrape");
  },
  stateStore: () => undefined,
  traceStore: () => undefined,
  clock: systemClock,
};

describe("GatewayMetrics' process metrics", () => {
  it("sample the event-loop lag every 100 ms, not prom-client's 10 ms (which keeps an idle gateway awake)", () => {
    collected.length = 0;
    new GatewayMetrics(sources);
    expect(collected).toHaveLength(1);
    expect(collected[0]).toMatchObject({ eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    expect(EVENT_LOOP_SAMPLE_MS).toBeGreaterThanOrEqual(100);
  });

  it("are not collected at all with processMetrics: false", () => {
    collected.length = 0;
    new GatewayMetrics(sources, { processMetrics: false });
    expect(collected).toHaveLength(0);
  });
});
