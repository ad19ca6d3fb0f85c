import type { ProviderStatus } from "../engine/provider-factory.js";
import { formatDuration } from "./duration-text.js";
import type { RequestSummary, SimulationReport } from "./simulation-report.js";
import { fitLabels, sparkline } from "./sparkline.js";

export interface TerminalReportOptions {
  /** Wall-clock time the run took, shown in the heading when given. */
  wallMs?: number;
  /** Characters for each timeline; default 60. */
  width?: number;
}

/** One character per circuit status, in the circuit timeline. */
export const STATUS_MARKS: Readonly<Record<ProviderStatus, string>> = {
  healthy: ".",
  cooling_down: "c",
  unhealthy: "u",
  half_open: "h",
  open: "#",
};

const SEVERITY: Readonly<Record<ProviderStatus, number>> = {
  healthy: 0,
  cooling_down: 1,
  unhealthy: 2,
  half_open: 3,
  open: 4,
};

/** The report as a compact terminal summary: a table, sparklines over time, circuit timelines. */
export function formatTerminalReport(
  report: SimulationReport,
  options: TerminalReportOptions = {},
): string {
  const width = options.width ?? 60;
  const { scenario, summary, timeline } = report;
  const lines: string[] = [];
  const name = scenario.name === null ? "" : ` "${scenario.name}"`;
  lines.push(
    `Simulation${name}: ${formatDuration(scenario.durationMs)} of virtual time, seed ${scenario.seed}, buckets of ${formatDuration(scenario.bucketMs)}`,
  );
  const took = options.wallMs === undefined ? "" : ` in ${formatDuration(options.wallMs)}`;
  lines.push(`${count(summary.requests)} requests (${count(summary.streams)} streamed)${took}`, "");

  const rows = [["model", "requests", "success", "p50", "p95", "p99", "calls/req", "cost/req"]];
  rows.push(summaryRow("all", summary));
  const models = Object.entries(report.models);
  if (models.length > 1) for (const [model, entry] of models) rows.push(summaryRow(model, entry));
  lines.push(...table(rows), "");

  const notes: string[] = [];
  const errors = Object.entries(summary.errors);
  if (errors.length > 0) {
    notes.push(`failed: ${errors.map(([code, n]) => `${code} ${count(n)}`).join(", ")}`);
  }
  if (summary.unfinished > 0) notes.push(`unfinished: ${count(summary.unfinished)}`);
  if (summary.streamsInterrupted > 0) {
    notes.push(`streams cut after their first chunk: ${count(summary.streamsInterrupted)}`);
  }
  if (summary.streamsContinued > 0) {
    notes.push(
      `streams continued on another target after a cut: ${count(summary.streamsContinued)}`,
    );
  }
  if (summary.firstChunkMs.p50 !== null) {
    notes.push(
      `first chunk: p50 ${ms(summary.firstChunkMs.p50)}, p99 ${ms(summary.firstChunkMs.p99)}`,
    );
  }
  if (notes.length > 0) lines.push(...notes, "");

  const span = `0 → ${formatDuration(scenario.durationMs)}`;
  const perChar = Math.ceil(timeline.startMs.length / width) * timeline.bucketMs;
  lines.push(`over time (${span}, one mark = ${formatDuration(perChar)})`);
  const success = timeline.successRate;
  const lowest = minOf(success);
  const p99 = timeline.p99LatencyMs;
  const calls = timeline.upstreamCallsPerRequest;
  const series: [string, string, string][] = [
    [
      "requests",
      sparkline(timeline.requests, { width }),
      `max ${count(maxOf(timeline.requests) ?? 0)}/bucket`,
    ],
    [
      "success",
      sparkline(success, { width, min: Math.min(lowest ?? 1, 0.9), max: 1 }),
      `min ${percent(lowest)}`,
    ],
    ["p99 latency", sparkline(p99, { width }), `max ${ms(maxOf(p99))}`],
    ["calls/req", sparkline(calls, { width, min: 1 }), `max ${fixed(maxOf(calls), 2)}`],
  ];
  lines.push(
    ...table(
      series.map((row) => [`  ${row[0]}`, row[1], row[2]]),
      false,
    ),
    "",
  );

  const targets = Object.entries(report.targets);
  if (targets.length > 0) {
    lines.push("upstream calls by target");
    lines.push(
      ...table(
        targets.map(([id, target]) => [
          `  ${id}`,
          sparkline(timeline.attempts[id] ?? [], { width }),
          `${count(target.attempts)} calls, ${count(target.failures)} failed, served ${count(target.served)}`,
        ]),
        false,
      ),
      "",
    );
  }

  if (timeline.circuits.length > 0) {
    const legend = Object.entries(STATUS_MARKS)
      .map(([status, mark]) => `${mark} ${status.replace("_", " ")}`)
      .join("  ");
    lines.push(`circuits (${legend})`);
    lines.push(
      ...table(
        timeline.circuits.map((circuit) => [
          `  ${circuit.model}`,
          circuit.target,
          fitLabels(circuit.states, width, (state) => SEVERITY[state])
            .map((state) => STATUS_MARKS[state])
            .join(""),
        ]),
        false,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

function summaryRow(name: string, entry: RequestSummary): string[] {
  return [
    name,
    count(entry.requests),
    percent(entry.successRate),
    ms(entry.latencyMs.p50),
    ms(entry.latencyMs.p95),
    ms(entry.latencyMs.p99),
    fixed(entry.upstreamCallsPerRequest, 3),
    cost(entry.costPerRequest),
  ];
}

/** Left-aligned text columns separated by two spaces; numbers right-aligned in a header table. */
function table(rows: readonly (readonly string[])[], header = true): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, [...cell].length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, index) => {
        const pad = (widths[index] ?? 0) - [...cell].length;
        const right = header && index > 0;
        return right ? " ".repeat(pad) + cell : cell + " ".repeat(pad);
      })
      .join("  ")
      .trimEnd(),
  );
}

export function count(value: number): string {
  return value.toLocaleString("en-US");
}

export function percent(value: number | null): string {
  if (value === null) return "-";
  const shown = value * 100;
  return `${shown >= 99.995 && shown < 100 ? "99.99" : shown.toFixed(2)}%`;
}

export function ms(value: number | null): string {
  return value === null ? "-" : formatDuration(value);
}

export function fixed(value: number | null, digits: number): string {
  return value === null ? "-" : value.toFixed(digits);
}

export function cost(value: number | null): string {
  if (value === null) return "-";
  if (value === 0) return "0";
  return value >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

function minOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : Math.min(...present);
}

function maxOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : Math.max(...present);
}
