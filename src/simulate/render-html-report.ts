import type { ProviderStatus } from "../engine/provider-factory.js";
import { formatDuration } from "./duration-text.js";
import { cost, count, fixed, ms, percent } from "./format-terminal-report.js";
import type { RequestSummary, SimulationReport } from "./simulation-report.js";
import {
  escapeHtml,
  lineChart,
  PALETTE,
  type Series,
  stackedBarChart,
  stateChart,
} from "./svg-charts.js";

const STATUS_COLORS: Readonly<Record<ProviderStatus, string>> = {
  healthy: "#cfe8d6",
  cooling_down: "#f3d37a",
  unhealthy: "#b9a4d9",
  half_open: "#f0a05a",
  open: "#d9423b",
};

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:960px;color:#1d2430;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.facts{color:#5a6472;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid #dde2e8;border-radius:6px;padding:8px 12px;min-width:110px}
.card b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{padding:4px 8px;border-bottom:1px solid #e6e9ee;text-align:right}
th:first-child,td:first-child{text-align:left}
figure{margin:14px 0}figcaption{font-weight:600;margin-bottom:2px}
svg .grid{stroke:#e6e9ee}svg .tick,svg .label{font-size:11px;fill:#5a6472}
`;

/**
 * The report as one self-contained HTML page: tables and inline SVG charts, no scripts, no fonts,
 * no links to anything outside the file.
 */
export function renderHtmlReport(report: SimulationReport): string {
  const { scenario, summary, timeline } = report;
  const title = scenario.name ?? "Switchyard simulation";
  const xLabels = timeline.startMs.map((start) => formatDuration(start));
  const targets = Object.keys(report.targets);
  const colorOf = (index: number) => PALETTE[index % PALETTE.length] ?? "#888";
  const perTarget = (source: Record<string, number[]>): Series[] =>
    targets.map((id, index) => ({ name: id, values: source[id] ?? [], color: colorOf(index) }));
  const lowest = Math.min(
    ...timeline.successRate.filter((value): value is number => value !== null),
    1,
  );

  const charts = [
    stackedBarChart(perTarget(timeline.served), {
      title: "Requests per bucket, by the target that answered",
      xLabels,
      format: (value) => count(Math.round(value)),
    }),
    lineChart([{ name: "success rate", values: timeline.successRate, color: colorOf(2) }], {
      title: "Success rate",
      xLabels,
      format: (value) => percent(value),
      min: Math.max(0, Math.floor(lowest * 20) / 20 - 0.05),
      max: 1,
    }),
    lineChart(
      [
        { name: "p50", values: timeline.p50LatencyMs, color: colorOf(0) },
        { name: "p99", values: timeline.p99LatencyMs, color: colorOf(3) },
      ],
      { title: "Latency of successful requests", xLabels, format: (value) => ms(value) },
    ),
    lineChart(
      [
        {
          name: "upstream calls per request",
          values: timeline.upstreamCallsPerRequest,
          color: colorOf(4),
        },
      ],
      { title: "Upstream calls per request", xLabels, format: (value) => fixed(value, 2) },
    ),
    stackedBarChart(perTarget(timeline.attempts), {
      title: "Upstream calls per bucket, by target (retries, hedges and fallbacks included)",
      xLabels,
      format: (value) => count(Math.round(value)),
    }),
  ];
  if (timeline.circuits.length > 0) {
    charts.push(
      stateChart(
        timeline.circuits.map((circuit) => ({
          label: `${circuit.model} · ${circuit.target}`,
          states: circuit.states,
        })),
        STATUS_COLORS,
        { title: "Circuit and health state per model and target", xLabels },
      ),
    );
  }

  const facts = [
    `${formatDuration(scenario.durationMs)} of virtual time`,
    `seed ${scenario.seed}`,
    `buckets of ${formatDuration(scenario.bucketMs)}`,
    `health checks ${scenario.healthChecks ? "on" : "off"}`,
  ].join(" · ");
  const cards = [
    ["requests", count(summary.requests)],
    ["success", percent(summary.successRate)],
    ["p50", ms(summary.latencyMs.p50)],
    ["p95", ms(summary.latencyMs.p95)],
    ["p99", ms(summary.latencyMs.p99)],
    ["calls / request", fixed(summary.upstreamCallsPerRequest, 3)],
    ["cost / request", cost(summary.costPerRequest)],
  ]
    .map(
      ([label, value]) =>
        `<div class="card">${escapeHtml(label ?? "")}<b>${escapeHtml(value ?? "")}</b></div>`,
    )
    .join("");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="facts">${escapeHtml(facts)}</p>
<div class="cards">${cards}</div>
<h2>By model</h2>
${modelTable(report)}
${errorTable(summary)}
<h2>Over time</h2>
${charts.join("\n")}
<h2>Targets</h2>
${targetTable(report)}
</body>
</html>
`;
}

function modelTable(report: SimulationReport): string {
  const head = [
    "model",
    "requests",
    "success",
    "failed",
    "p50",
    "p95",
    "p99",
    "calls/req",
    "cost/req",
  ];
  const row = (name: string, entry: RequestSummary) => [
    name,
    count(entry.requests),
    percent(entry.successRate),
    count(entry.failed + entry.unfinished),
    ms(entry.latencyMs.p50),
    ms(entry.latencyMs.p95),
    ms(entry.latencyMs.p99),
    fixed(entry.upstreamCallsPerRequest, 3),
    cost(entry.costPerRequest),
  ];
  const rows = [row("all", report.summary)];
  for (const [name, entry] of Object.entries(report.models)) rows.push(row(name, entry));
  return htmlTable(head, rows);
}

function errorTable(summary: RequestSummary): string {
  const rows = Object.entries(summary.errors).map(([code, n]) => [code, count(n)]);
  if (summary.unfinished > 0) rows.push(["unfinished", count(summary.unfinished)]);
  if (rows.length === 0) return "";
  return `<h2>Failed requests</h2>\n${htmlTable(["error", "requests"], rows)}`;
}

function targetTable(report: SimulationReport): string {
  const rows = Object.entries(report.targets).map(([id, target]) => [
    id,
    count(target.attempts),
    count(target.failures),
    count(target.served),
  ]);
  return htmlTable(["target", "upstream calls", "failed calls", "requests answered"], rows);
}

function htmlTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((cell) => `<th>${escapeHtml(cell)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
