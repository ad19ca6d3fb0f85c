import { beforeAll, describe, expect, it } from "vitest";
import { formatTerminalReport } from "./format-terminal-report.js";
import { renderHtmlReport } from "./render-html-report.js";
import { simulate } from "./simulation.test-helper.js";
import type { SimulationReport } from "./simulation-report.js";
import { sparkline } from "./sparkline.js";

let report: SimulationReport;

beforeAll(async () => {
  ({ report } = await simulate(
    "name: outage <primary> & co",
    "durationMs: 6m",
    "healthChecks: false",
    "traffic: { rate: 4, models: { chat: 1, hedged: 1 }, streaming: 0.5 }",
    "providers:",
    '  "*": { latency: 600 }',
    "  primary: { faults: [{ type: outage, from: 2m, to: 4m }, { type: streamCut, rate: 0.1 }] }",
  ));
});

describe("renderHtmlReport", () => {
  it("is self-contained: no scripts, stylesheets or images from anywhere, no http(s) in src or href", () => {
    const html = renderHtmlReport(report);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
  });

  it("contains the tables and the charts, with names escaped", () => {
    const html = renderHtmlReport(report);
    expect(html).toContain("<title>outage &lt;primary&gt; &amp; co</title>");
    expect(html.match(/<svg /g)?.length).toBe(6);
    for (const caption of [
      "Requests per bucket, by the target that answered",
      "Success rate",
      "Latency of successful requests",
      "Upstream calls per request",
      "Upstream calls per bucket, by target",
      "Circuit and health state per model and target",
    ]) {
      expect(html).toContain(`<figcaption>${caption}`);
    }
    expect(html).toContain("<td>primary/big</td>");
    expect(html).toContain("<td>stream_interrupted</td>");
    expect(html).toMatch(
      /<rect [^>]*fill="#d9423b"><title>chat · primary\/big @ 3m: open<\/title>/,
    );
  });
});

describe("formatTerminalReport", () => {
  it("prints a table, sparklines over time and circuit timelines", () => {
    const text = formatTerminalReport(report, { wallMs: 1234 });
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      'Simulation "outage <primary> & co": 6m of virtual time, seed 1, buckets of 10s',
    );
    expect(lines[1]).toMatch(/^[\d,]+ requests \([\d,]+ streamed\) in 1\.2s$/);
    expect(lines[3]).toMatch(
      /^model\s+requests\s+success\s+p50\s+p95\s+p99\s+calls\/req\s+cost\/req$/,
    );
    expect(lines[4]).toMatch(/^all\s+[\d,]+\s+\d+\.\d\d%\s+/);
    expect(text).toMatch(/failed: stream_interrupted \d+/);
    expect(text).toMatch(/^ {2}success\s+[▁▂▃▄▅▆▇█]{36}\s+min \d+\.\d\d%$/m);
    const circuit = lines.find((line) => /^ {2}chat\s+primary\/big\s/.test(line)) ?? "";
    expect(circuit).toMatch(/^ {2}chat\s+primary\/big\s+\.{12}#{12,}/);
  });
});

describe("sparkline", () => {
  it("scales values to eight bars, leaves gaps for missing data and fits a width", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([1, null, 1], { min: 0, max: 1 })).toBe("█ █");
    expect(sparkline([0.5, 1], { min: 0.5, max: 1 })).toBe("▁█");
    expect(
      sparkline(
        Array.from({ length: 100 }, (_, index) => index),
        { width: 10 },
      ),
    ).toHaveLength(10);
    expect(sparkline([])).toBe("");
  });
});
