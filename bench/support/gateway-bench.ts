import { join } from "node:path";
import { Agent } from "undici";
import { compileForNode } from "./compile-for-node.js";
import {
  type CellSample,
  type CellSettings,
  closedLoopCell,
  firstByteCell,
  fixedRateCell,
  GATEWAY_CELLS,
  type GatewayCell,
} from "./gateway-cells.js";
import { ratio, round, summarizeLatencies } from "./latency-summary.js";
import {
  type ProcessStats,
  SERVER_CHILD_ENTRY,
  type ServerProcess,
  type ServerProcessOptions,
  startServerProcess,
} from "./server-process.js";

export { GATEWAY_CELLS, type GatewayCell } from "./gateway-cells.js";

export const GATEWAY_TARGETS = [
  "direct",
  "proxy",
  "switchyard",
  "switchyardFallback",
  "switchyardTranslated",
] as const;
export type GatewayTarget = (typeof GATEWAY_TARGETS)[number];

export interface GatewayBenchSettings extends CellSettings {
  /** Rounds: every cell runs once per round for every target; a figure adds up its rounds. */
  rounds: number;
  /** Seconds of closed-loop warm-up per target and mode, before anything is measured. */
  warmupSeconds: number;
  /** Text deltas per streamed answer. */
  streamChunks: number;
  /** Write a CPU profile of the Switchyard (single provider) child into this folder. */
  cpuProfileDir?: string;
  /** Run only these cells (e.g. `["throughput"]` while profiling); the others' figures are 0. */
  cells?: readonly GatewayCell[] /**
   * Run the servers through tsx instead of compiling them for plain node first (quicker to start,
   * for tests; tsx's loader thread adds about 50 MB to each server's RSS). Default false.
   */;
  viaTsx?: boolean;
  /** Turn the same-protocol pass-through off: every request translated (the path before it). */
  translated?: boolean;
  /**
   * Node and V8 options for the Switchyard children only (e.g. `--max-semi-space-size=8`, which
   * caps V8's young generation: less RSS under load, more garbage collection).
   */
  nodeOptions?: readonly string[];
}

export const DEFAULT_GATEWAY_SETTINGS: GatewayBenchSettings = {
  rounds: 2,
  cellSeconds: 4,
  ttfbSeconds: 2,
  warmupSeconds: 2,
  connections: 50,
  ratePerSecond: 200,
  streamChunks: 20,
};

/** One server's figures. Non-streaming unless under `stream`. */
export interface TargetFigures {
  /** Closed-loop throughput at `connections` connections. */
  rps: number;
  /** Latency at the fixed rate. */
  p50Ms: number;
  p99Ms: number;
  /** Streams at the fixed rate (open loop): time to the first body byte. */
  ttfbP50Ms: number;
  ttfbP99Ms: number;
  /** The server process's CPU time (user + system) per request in its throughput cells. */
  cpuUsPerRequest: number;
  /**
   * The same in its fixed-rate (latency) cells: one request at a time, the machine otherwise idle,
   * so the figure is the request's own cost, without the batching a saturated server gets.
   */
  fixedRateCpuUsPerRequest: number;
  /** The server process's resident memory after the whole run. */
  rssMb: number;
  /** Its resident memory once started, before any load. */
  rssIdleMb: number;
  /** Its V8 heap after the run: live objects, and what V8 has taken from the system. */
  heapUsedMb: number;
  heapTotalMb: number;
  stream: {
    rps: number;
    p50Ms: number;
    p99Ms: number;
    cpuUsPerRequest: number;
    fixedRateCpuUsPerRequest: number;
  };
  /** Failed requests over every cell (socket errors, timeouts, non-2xx, broken streams). */
  errors: number;
}

export interface GatewayBenchReport {
  targets: Record<GatewayTarget, TargetFigures>;
  /** Switchyard (single provider) over the pass-through proxy, from the same run. */
  ratios: {
    throughput: number | null;
    latencyP50: number | null;
    ttfbP50: number | null;
    streamThroughput: number | null;
    streamLatencyP50: number | null;
    fallbackThroughput: number | null;
    /** The gateway process's own CPU per request over the proxy's, plain and streamed. */
    cpuPerRequest: number | null;
    streamCpuPerRequest: number | null;
    /** The same at the fixed rate (see `fixedRateCpuUsPerRequest`). */
    cpuPerRequestAtFixedRate: number | null;
    streamCpuPerRequestAtFixedRate: number | null;
  };
  checks: {
    throughputAtLeast07: boolean;
    streamThroughputAtLeast07: boolean;
    cpuPerRequestAtMost15: boolean;
    streamCpuPerRequestAtMost15: boolean;
    latencyP50AtMost13: boolean;
    ttfbP50AtMost13: boolean;
    rssUnder100Mb: boolean;
  };
  /**
   * Switchyard's (one provider) RSS after the run less the proxy's, in MB: the gateway's own
   * memory beside the floor that node, undici and a grown young generation set for any Node proxy.
   */
  rssOverProxyMb: number;
  /** The mock upstream's own CPU per request during each target's throughput cells. */
  upstreamCpuUsPerRequest: Record<GatewayTarget, number>;
  settings: GatewayBenchSettings;
  note: string;
}

const NOTE =
  "All servers run on loopback, each in its own child process on plain node; the load generator " +
  "(autocannon, and an undici client for first-byte times) runs in the parent process and shares " +
  "the machine's cores with the servers, so absolute figures are lower than with a dedicated " +
  "client machine. Compare the ratios: all targets ran in the same run, cells interleaved, " +
  "against the same mock upstream process.";

/** A Switchyard config with one provider, or with a fallback too (the primary stays healthy). */
export function benchConfigText(
  mockUrl: string,
  withFallback: boolean,
  translated = false,
): string {
  const provider = (name: string) => ({
    name,
    type: "openai",
    baseUrl: `${mockUrl}/v1`,
    keys: [{ key: `sk-bench-${name}` }],
    ...(translated ? { passThrough: false } : {}),
  });
  const targets = [{ provider: "primary", model: "gpt-4o-mini", priority: 1 }];
  if (withFallback) targets.push({ provider: "fallback", model: "gpt-4o-mini", priority: 2 });
  return JSON.stringify({
    server: { host: "127.0.0.1", port: 0, shutdownGraceMs: 500 },
    providers: withFallback ? [provider("primary"), provider("fallback")] : [provider("primary")],
    models: [{ name: "gpt-4o-mini", targets }],
    logging: { level: "info" },
  });
}

interface MeasuredCell extends CellSample {
  serverCpuUs: number;
  upstreamCpuUs: number;
}

const cpuOf = (stats: ProcessStats) => stats.cpuUserUs + stats.cpuSystemUs;

/** Cells of one kind from every round, added up. */
function addUp(cells: readonly MeasuredCell[]): MeasuredCell {
  const total: MeasuredCell = {
    requests: 0,
    seconds: 0,
    latenciesMs: [],
    errors: 0,
    serverCpuUs: 0,
    upstreamCpuUs: 0,
  };
  for (const cell of cells) {
    total.requests += cell.requests;
    total.seconds += cell.seconds;
    total.latenciesMs.push(...cell.latenciesMs);
    total.errors += cell.errors;
    total.serverCpuUs += cell.serverCpuUs;
    total.upstreamCpuUs += cell.upstreamCpuUs;
  }
  return total;
}

const megabytes = (bytes: number | undefined) => round((bytes ?? 0) / 2 ** 20, 1);
const perSecond = (cell: MeasuredCell) =>
  cell.seconds > 0 ? Math.round(cell.requests / cell.seconds) : 0;
const perRequest = (cell: MeasuredCell, field: "serverCpuUs" | "upstreamCpuUs") =>
  cell.requests > 0 ? round(cell[field] / cell.requests, 1) : 0;

/**
 * Runs the gateway benchmark: the mock upstream, the pass-through proxy and two Switchyard configs,
 * each in its own process. In every round each kind of cell runs for every target in turn (the
 * order rotates from cell to cell), so drift and noise fall on all of them alike.
 */
export async function runGatewayBench(
  settings: GatewayBenchSettings = DEFAULT_GATEWAY_SETTINGS,
  onProgress: (line: string) => void = () => undefined,
): Promise<GatewayBenchReport> {
  const started: ServerProcess[] = [];
  const agent = new Agent({ connections: 64 });
  const compiled = settings.viaTsx
    ? { entry: undefined, cleanup: async () => undefined }
    : await compileForNode(SERVER_CHILD_ENTRY);
  const start = async (options: ServerProcessOptions) => {
    const execArgv = options.spec.kind === "switchyard" ? (settings.nodeOptions ?? []) : [];
    const server = await startServerProcess({
      ...options,
      compiledEntry: compiled.entry,
      execArgv,
    });
    started.push(server);
    return server;
  };
  try {
    const mock = await start({ spec: { kind: "mock", streamChunks: settings.streamChunks } });
    const [proxy, switchyard, switchyardFallback, switchyardTranslated] = await Promise.all([
      start({
        spec: { kind: "proxy", upstreamUrl: mock.url },
        ...(settings.cpuProfileDir ? { cpuProfileDir: join(settings.cpuProfileDir, "proxy") } : {}),
      }),
      start({
        spec: {
          kind: "switchyard",
          configText: benchConfigText(mock.url, false, settings.translated),
        },
        ...(settings.cpuProfileDir
          ? { cpuProfileDir: join(settings.cpuProfileDir, "switchyard") }
          : {}),
      }),
      start({
        spec: {
          kind: "switchyard",
          configText: benchConfigText(mock.url, true, settings.translated),
        },
      }),
      start({
        spec: { kind: "switchyard", configText: benchConfigText(mock.url, false, true) },
        ...(settings.cpuProfileDir
          ? { cpuProfileDir: join(settings.cpuProfileDir, "translated") }
          : {}),
      }),
    ]);
    const servers: Record<GatewayTarget, ServerProcess> = {
      direct: mock,
      proxy,
      switchyard,
      switchyardFallback,
      switchyardTranslated,
    };
    const runners: Record<GatewayCell, (origin: string) => Promise<CellSample>> = {
      throughput: (origin) => closedLoopCell(origin, false, settings),
      latency: (origin) => fixedRateCell(origin, false, settings),
      streamThroughput: (origin) => closedLoopCell(origin, true, settings),
      streamLatency: (origin) => fixedRateCell(origin, true, settings),
      ttfb: (origin) => firstByteCell(origin, settings, agent),
    };
    const measured = new Map<string, MeasuredCell[]>();
    const runCell = async (target: GatewayTarget, cell: GatewayCell) => {
      const server = servers[target];
      const [serverBefore, mockBefore] = await Promise.all([server.stats(), mock.stats()]);
      const sample = await runners[cell](server.url);
      const [serverAfter, mockAfter] = await Promise.all([server.stats(), mock.stats()]);
      const key = `${target}/${cell}`;
      measured.set(key, [
        ...(measured.get(key) ?? []),
        {
          ...sample,
          serverCpuUs: cpuOf(serverAfter) - cpuOf(serverBefore),
          upstreamCpuUs: cpuOf(mockAfter) - cpuOf(mockBefore),
        },
      ]);
      const summary = summarizeLatencies(sample.latenciesMs);
      onProgress(
        `${cell.padEnd(17)} ${target.padEnd(19)} ${String(Math.round(sample.requests / sample.seconds)).padStart(6)} rps  p50 ${summary.p50Ms} ms  p99 ${summary.p99Ms} ms${sample.errors ? `  errors ${sample.errors}` : ""}`,
      );
    };

    const idleStats = await Promise.all(GATEWAY_TARGETS.map((target) => servers[target].stats()));
    for (const target of settings.warmupSeconds > 0 ? GATEWAY_TARGETS : []) {
      const origin = servers[target].url;
      await closedLoopCell(origin, false, settings, settings.warmupSeconds);
      await closedLoopCell(origin, true, settings, settings.warmupSeconds);
    }
    const cells = GATEWAY_CELLS.filter((cell) => settings.cells?.includes(cell) ?? true);
    let turn = 0;
    for (let roundIndex = 0; roundIndex < settings.rounds; roundIndex++) {
      for (const cell of cells) {
        for (const target of rotate(GATEWAY_TARGETS, turn++)) await runCell(target, cell);
      }
    }
    const finalStats = await Promise.all(GATEWAY_TARGETS.map((target) => servers[target].stats()));

    const targets = {} as Record<GatewayTarget, TargetFigures>;
    const upstreamCpuUsPerRequest = {} as Record<GatewayTarget, number>;
    for (const [index, target] of GATEWAY_TARGETS.entries()) {
      const get = (cell: GatewayCell) => addUp(measured.get(`${target}/${cell}`) ?? []);
      const throughput = get("throughput");
      const streamThroughput = get("streamThroughput");
      const latencyCell = get("latency");
      const streamLatencyCell = get("streamLatency");
      const latency = summarizeLatencies(latencyCell.latenciesMs);
      const streamLatency = summarizeLatencies(streamLatencyCell.latenciesMs);
      const ttfb = summarizeLatencies(get("ttfb").latenciesMs);
      targets[target] = {
        rps: perSecond(throughput),
        p50Ms: latency.p50Ms,
        p99Ms: latency.p99Ms,
        ttfbP50Ms: ttfb.p50Ms,
        ttfbP99Ms: ttfb.p99Ms,
        cpuUsPerRequest: perRequest(throughput, "serverCpuUs"),
        fixedRateCpuUsPerRequest: perRequest(latencyCell, "serverCpuUs"),
        rssMb: megabytes(finalStats[index]?.rssBytes),
        rssIdleMb: megabytes(idleStats[index]?.rssBytes),
        heapUsedMb: megabytes(finalStats[index]?.heapUsedBytes),
        heapTotalMb: megabytes(finalStats[index]?.heapTotalBytes),
        stream: {
          rps: perSecond(streamThroughput),
          p50Ms: streamLatency.p50Ms,
          p99Ms: streamLatency.p99Ms,
          cpuUsPerRequest: perRequest(streamThroughput, "serverCpuUs"),
          fixedRateCpuUsPerRequest: perRequest(streamLatencyCell, "serverCpuUs"),
        },
        errors: GATEWAY_CELLS.reduce((sum, cell) => sum + get(cell).errors, 0),
      };
      upstreamCpuUsPerRequest[target] = perRequest(throughput, "upstreamCpuUs");
    }
    return { ...compare(targets), upstreamCpuUsPerRequest, settings, note: NOTE };
  } finally {
    await agent.close();
    await Promise.all(started.map((server) => server.close()));
    await compiled.cleanup();
  }
}

function compare(
  targets: Record<GatewayTarget, TargetFigures>,
): Pick<GatewayBenchReport, "targets" | "ratios" | "checks" | "rssOverProxyMb"> {
  const sw = targets.switchyard;
  const px = targets.proxy;
  const ratios = {
    throughput: ratio(sw.rps, px.rps),
    latencyP50: ratio(sw.p50Ms, px.p50Ms),
    ttfbP50: ratio(sw.ttfbP50Ms, px.ttfbP50Ms),
    streamThroughput: ratio(sw.stream.rps, px.stream.rps),
    streamLatencyP50: ratio(sw.stream.p50Ms, px.stream.p50Ms),
    fallbackThroughput: ratio(targets.switchyardFallback.rps, px.rps),
    cpuPerRequest: ratio(sw.cpuUsPerRequest, px.cpuUsPerRequest),
    streamCpuPerRequest: ratio(sw.stream.cpuUsPerRequest, px.stream.cpuUsPerRequest),
    cpuPerRequestAtFixedRate: ratio(sw.fixedRateCpuUsPerRequest, px.fixedRateCpuUsPerRequest),
    streamCpuPerRequestAtFixedRate: ratio(
      sw.stream.fixedRateCpuUsPerRequest,
      px.stream.fixedRateCpuUsPerRequest,
    ),
  };
  return {
    targets,
    ratios,
    checks: {
      throughputAtLeast07: (ratios.throughput ?? 0) >= 0.7,
      streamThroughputAtLeast07: (ratios.streamThroughput ?? 0) >= 0.7,
      cpuPerRequestAtMost15: (ratios.cpuPerRequest ?? Number.POSITIVE_INFINITY) <= 1.5,
      streamCpuPerRequestAtMost15: (ratios.streamCpuPerRequest ?? Number.POSITIVE_INFINITY) <= 1.5,
      latencyP50AtMost13: (ratios.latencyP50 ?? Number.POSITIVE_INFINITY) <= 1.3,
      ttfbP50AtMost13: (ratios.ttfbP50 ?? Number.POSITIVE_INFINITY) <= 1.3,
      rssUnder100Mb: sw.rssMb < 100 && targets.switchyardFallback.rssMb < 100,
    },
    rssOverProxyMb: Math.round((sw.rssMb - px.rssMb) * 10) / 10,
  };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
