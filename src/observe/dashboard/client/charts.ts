import type { SeriesSnapshot } from "../../target-series.js";
import type { DashboardElement } from "./dom.js";

/**
 * Dashboard client: charts drawn as inline SVG. Every export is a self-contained function
 * declaration (see `dashboard-script.ts`).
 */

declare const svg: typeof import("./elements.js").svg;
declare const h: typeof import("./elements.js").h;
declare const formatClock: typeof import("./format.js").formatClock;
declare const formatMs: typeof import("./format.js").formatMs;

/**
 * Bars per time bucket: successes in the accent colour, failures stacked above in red. Scales to
 * its container's width; `title`s tell each bucket's numbers on hover.
 */
export function sparkBars(
  series: SeriesSnapshot | undefined,
  options: { startMs: number; bucketMs: number; from: number; height?: number; label: string },
): DashboardElement {
  const successes = series?.successes.slice(options.from) ?? [];
  const failures = series?.failures.slice(options.from) ?? [];
  const latencies = series?.meanLatencyMs.slice(options.from) ?? [];
  const count = Math.max(successes.length, 1);
  const width = count * 4;
  const height = options.height ?? 32;
  let most = 1;
  for (let index = 0; index < count; index++) {
    most = Math.max(most, (successes[index] ?? 0) + (failures[index] ?? 0));
  }
  const chart = svg("svg", {
    class: "spark",
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: "none",
    role: "img",
    "aria-label": options.label,
  });
  chart.append(
    svg("line", { class: "baseline", x1: 0, x2: width, y1: height - 0.5, y2: height - 0.5 }),
  );
  for (let index = 0; index < count; index++) {
    const ok = successes[index] ?? 0;
    const failed = failures[index] ?? 0;
    if (ok + failed === 0) continue;
    const okHeight = Math.max(ok > 0 ? 1.5 : 0, (ok / most) * (height - 2));
    const failedHeight = Math.max(failed > 0 ? 1.5 : 0, (failed / most) * (height - 2));
    const group = svg("g", {});
    const x = index * 4 + 0.5;
    if (ok > 0) {
      group.append(
        svg("rect", { class: "ok", x, width: 3, y: height - okHeight, height: okHeight, rx: 0.6 }),
      );
    }
    if (failed > 0) {
      const y = height - okHeight - failedHeight;
      group.append(svg("rect", { class: "bad", x, width: 3, y, height: failedHeight, rx: 0.6 }));
    }
    const at = formatClock(options.startMs + index * options.bucketMs);
    const latency = latencies[index];
    const title = svg("title", {});
    title.textContent = `${at}  ${ok} ok, ${failed} failed${latency ? `, mean ${formatMs(latency)}` : ""}`;
    group.append(title);
    chart.append(group);
  }
  return chart;
}

/** Horizontal bars, one row per entry, scaled to the largest value. */
export function barRows(
  rows: readonly { label: string; value: number; shown: string; detail: string }[],
  emptyText: string,
): DashboardElement {
  if (rows.length === 0) return h("p.empty", null, emptyText);
  let most = 0;
  for (const row of rows) most = Math.max(most, row.value);
  const list = h("div.bars");
  for (const row of rows) {
    const share = most > 0 ? Math.max(row.value / most, row.value > 0 ? 0.01 : 0) : 0;
    const bar = svg(
      "svg",
      { class: "bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true" },
      svg("rect", { class: "track", x: 0, y: 0, width: 100, height: 10, rx: 2 }),
      svg("rect", { class: "fill", x: 0, y: 0, width: share * 100, height: 10, rx: 2 }),
    );
    list.append(
      h(
        "div.bar-row",
        { title: row.detail },
        h("span.bar-label", null, row.label),
        bar,
        h("span.bar-value", null, row.shown),
      ),
    );
  }
  return list;
}
