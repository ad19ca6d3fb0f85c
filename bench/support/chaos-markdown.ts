import { cpus } from "node:os";
import type { ChaosFigures } from "./chaos-analysis.js";
import type { ChaosBenchReport } from "./chaos-bench.js";

const cell = (value: number | null, unit = "") => (value === null ? "never" : `${value}${unit}`);

function row(name: string, contender: string, figures: ChaosFigures): string {
  return `| ${name} | ${contender} | ${(figures.successRate * 100).toFixed(2)}% | ${figures.p50Ms} | ${figures.p99Ms} | ${figures.upstreamCallsPerRequest} | ${cell(figures.upstreamCallsPerRequestAfterDetect)} | ${cell(figures.detectMs, " ms")} | ${cell(figures.recoverMs, " ms")} |`;
}

/** The chaos report as a Markdown page. */
export function chaosMarkdown(report: ChaosBenchReport, when = new Date()): string {
  const { settings } = report;
  const cpu = cpus();
  const lines = [
    "# Chaos benchmark",
    "",
    `Run ${when.toISOString()} on node ${process.version}, ${cpu[0]?.model ?? "unknown CPU"} x${cpu.length}.`,
    "Written by `npm run bench:chaos`; see bench/README.md for the method.",
    "",
    `> ${report.note}`,
    "",
    `${settings.scenarioSeconds} s per scenario (fault from 20% to 67% of it), ${settings.ratePerSecond} requests/s to each contender, ` +
      `healthy upstream latency ${settings.baseLatencyMs} ms, hedge after ${settings.hedgeDelayMs} ms, brownout ${settings.brownoutDelayMs} ms per answer.`,
    "",
    "| scenario | contender | success | p50 ms | p99 ms | upstream calls/req | calls/req after detect | detect | recover |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const checks: string[] = [];
  for (const [name, scenario] of Object.entries(report.scenarios)) {
    if (!scenario) continue;
    lines.push(row(name, "switchyard", scenario.switchyard));
    lines.push(row(name, "sequential", scenario.sequential));
    const parts = Object.entries(scenario.checks).map(([check, value]) => `${check}: ${value}`);
    checks.push(
      `- **${name}**: ${scenario.description}.${parts.length ? ` ${parts.join(", ")}.` : ""}`,
    );
  }
  lines.push("", "Targets (Switchyard):", "", ...checks, "");
  return lines.join("\n");
}
