import { cpus } from "node:os";
import { GATEWAY_TARGETS, type GatewayBenchReport } from "./gateway-bench.js";

const LABELS: Record<(typeof GATEWAY_TARGETS)[number], string> = {
  direct: "mock upstream, direct",
  proxy: "pass-through proxy (floor)",
  switchyard: "Switchyard, one provider",
  switchyardFallback: "Switchyard, fallback configured",
  switchyardTranslated: "Switchyard, one provider, translated (pass-through off)",
};

const pass = (ok: boolean) => (ok ? "met" : "**missed**");
const signed = (value: number) => (value > 0 ? `+${value}` : String(value));

/** The report as a Markdown page: targets, ratios against the proxy, and how it was measured. */
export function gatewayMarkdown(report: GatewayBenchReport, when = new Date()): string {
  const { settings, ratios, checks } = report;
  const rows = GATEWAY_TARGETS.map((target) => {
    const m = report.targets[target];
    return `| ${LABELS[target]} | ${m.rps} | ${m.p50Ms} | ${m.p99Ms} | ${m.stream.rps} | ${m.stream.p50Ms} | ${m.ttfbP50Ms} | ${m.cpuUsPerRequest} | ${m.stream.cpuUsPerRequest} | ${m.fixedRateCpuUsPerRequest} | ${m.stream.fixedRateCpuUsPerRequest} | ${m.rssIdleMb} | ${m.rssMb} | ${m.heapUsedMb} / ${m.heapTotalMb} | ${m.errors} |`;
  });
  const cpu = cpus();
  return [
    "# Gateway benchmark",
    "",
    `Run ${when.toISOString()} on node ${process.version}, ${cpu[0]?.model ?? "unknown CPU"} x${cpu.length}.`,
    "Written by `npm run bench:gateway`; see bench/README.md for the method.",
    "",
    `> ${report.note}`,
    "",
    `${settings.rounds} rounds; in each, every cell runs once per target, in rotating order. ` +
      `Throughput: autocannon, closed loop, ${settings.connections} connections, ${settings.cellSeconds} s per cell. ` +
      `Latency: autocannon at a fixed ${settings.ratePerSecond} requests/s on one connection (never two requests in flight), ${settings.cellSeconds} s. ` +
      `First byte: streams sent at evenly spaced times, ${settings.ratePerSecond} per second for ${settings.ttfbSeconds} s. ` +
      `Streams carry ${settings.streamChunks} text deltas. CPU is the server process's own ` +
      "(user + system) per request in its throughput cells, and in its fixed-rate cells (one request at a " +
      "time: the request's own cost, without the batching a saturated server gets); RSS once started " +
      "(idle) and after the run.",
    "",
    "| target | rps | p50 ms | p99 ms | stream rps | stream p50 ms | stream first byte p50 ms | CPU us/req | stream CPU us/req | CPU us/req, fixed rate | stream CPU us/req, fixed rate | RSS idle MB | RSS after MB | heap used / total MB | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    "Switchyard (one provider) over the pass-through proxy:",
    "",
    "| ratio | value | target | |",
    "| --- | ---: | --- | --- |",
    `| throughput | ${ratios.throughput} | >= 0.7 | ${pass(checks.throughputAtLeast07)} |`,
    `| median latency at a fixed rate | ${ratios.latencyP50} | <= 1.3 | ${pass(checks.latencyP50AtMost13)} |`,
    `| streaming first byte (median) | ${ratios.ttfbP50} | <= 1.3 | ${pass(checks.ttfbP50AtMost13)} |`,
    `| streaming throughput | ${ratios.streamThroughput} | >= 0.7 | ${pass(checks.streamThroughputAtLeast07)} |`,
    `| gateway CPU per request | ${ratios.cpuPerRequest} | <= 1.5 | ${pass(checks.cpuPerRequestAtMost15)} |`,
    `| gateway CPU per streamed request | ${ratios.streamCpuPerRequest} | <= 1.5 | ${pass(checks.streamCpuPerRequestAtMost15)} |`,
    `| gateway CPU per request, fixed rate | ${ratios.cpuPerRequestAtFixedRate} | | |`,
    `| gateway CPU per streamed request, fixed rate | ${ratios.streamCpuPerRequestAtFixedRate} | | |`,
    `| streaming median latency | ${ratios.streamLatencyP50} | | |`,
    `| throughput with a fallback configured | ${ratios.fallbackThroughput} | | |`,
    `| RSS after the run | ${report.targets.switchyard.rssMb} MB | < 100 MB | ${pass(checks.rssUnder100Mb)} |`,
    `| RSS after the run, over the proxy's | ${signed(report.rssOverProxyMb)} MB | | |`,
    "",
  ].join("\n");
}
