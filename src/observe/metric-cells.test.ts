import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { CounterCells, GaugeCells, HistogramCells } from "./metric-cells.js";

const BUCKETS = [0.025, 0.1, 1, 10];
const LABELS = ["endpoint", "model", "status"] as const;

/** Two registries: prom-client's own metric in one, the cells in the other, same name and help. */
function pair() {
  const direct = new Registry();
  const cells = new Registry();
  return { direct, cells, config: { name: "m", help: "help text", labelNames: LABELS } };
}

async function same(direct: Registry, cells: Registry): Promise<string> {
  const text = await cells.metrics();
  expect(text).toBe(await direct.metrics());
  expect(await cells.getMetricsAsJSON()).toEqual(await direct.getMetricsAsJSON());
  return text;
}

describe("HistogramCells", () => {
  it("exports exactly what a prom-client histogram fed the same observations exports", async () => {
    const { direct, cells, config } = pair();
    const histogram = new Histogram({ ...config, buckets: BUCKETS, registers: [direct] });
    const kept = new HistogramCells({ ...config, buckets: BUCKETS, registers: [cells] });
    const observations = [
      [["chat", "smart", 200], 0.01],
      [["chat", "smart", 200], 0.025],
      [["embeddings", "fast", 502], 99],
      [["chat", "smart", 200], 0.5],
      [["chat", 'we"ird\\', 429], -1],
      [["embeddings", "fast", 502], 0.1],
    ] as const;
    for (const [[endpoint, model, status], value] of observations) {
      histogram.observe({ endpoint, model, status: String(status) }, value);
      kept.observe(kept.cell(endpoint, model, status), value);
    }
    const text = await same(direct, cells);
    expect(text).toContain('m_bucket{le="0.025",endpoint="chat",model="smart",status="200"} 2');
    expect(text).toContain('m_bucket{le="+Inf",endpoint="embeddings",model="fast",status="502"} 2');
    kept.reset();
    histogram.reset();
    await same(direct, cells);
  });

  it("refuses a value that is not a finite number, as prom-client does", () => {
    const { cells, config } = pair();
    const kept = new HistogramCells({ ...config, buckets: BUCKETS, registers: [cells] });
    expect(() => kept.observe(kept.cell("chat", "smart", 200), Number.NaN)).toThrow(
      "Value is not a valid number: NaN",
    );
  });

  it("refuses label values that do not match its labels", () => {
    const { cells, config } = pair();
    const kept = new HistogramCells({ ...config, buckets: BUCKETS, registers: [cells] });
    expect(() => kept.cell("chat", "smart")).toThrow("expected 3 label values");
  });
});

describe("CounterCells", () => {
  it("exports what a prom-client counter fed the same increments exports, at every scrape", async () => {
    const { direct, cells, config } = pair();
    const counter = new Counter({ ...config, registers: [direct] });
    const kept = new CounterCells({ ...config, registers: [cells] });
    const steps = [
      [["chat", "smart", 200], 1],
      [["chat", "smart", 502], 1],
      [["chat", "smart", 200], 0.1],
      [["embeddings", "fast", 200], 2],
    ] as const;
    for (const [[endpoint, model, status], value] of steps) {
      counter.inc({ endpoint, model, status: String(status) }, value);
      kept.inc(kept.cell(endpoint, model, status), value);
      await same(direct, cells);
    }
  });

  it("refuses a negative or infinite increment, as prom-client does", () => {
    const { cells, config } = pair();
    const kept = new CounterCells({ ...config, registers: [cells] });
    const cell = kept.cell("chat", "smart", 200);
    expect(() => kept.inc(cell, -1)).toThrow("It is not possible to decrease a counter");
    expect(() => kept.inc(cell, Number.POSITIVE_INFINITY)).toThrow(
      "Value is not a valid number: Infinity",
    );
    expect(cell.value).toBe(0);
  });
});

describe("GaugeCells", () => {
  it("exports what a prom-client gauge moved up and down the same way exports", async () => {
    const { direct, cells } = pair();
    const config = { name: "g", help: "in flight", labelNames: ["endpoint"] as const };
    const gauge = new Gauge({ ...config, registers: [direct] });
    const kept = new GaugeCells({ ...config, registers: [cells] });
    for (const [endpoint, delta] of [
      ["chat", 1],
      ["embeddings", 1],
      ["chat", 1],
      ["chat", -1],
      ["embeddings", -1],
    ] as const) {
      gauge.inc({ endpoint }, delta);
      kept.cell(endpoint).value += delta;
      await same(direct, cells);
    }
  });
});
