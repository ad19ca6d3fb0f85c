import { Agent } from "undici";
import { analyzeContender, type ChaosFigures, healthyP99Ms } from "./chaos-analysis.js";
import { chaosConfigText, sequentialModels } from "./chaos-config.js";
import {
  CHAOS_SCENARIOS,
  type ChaosScenario,
  type ChaosScenarioName,
  chaosScenario,
} from "./chaos-scenarios.js";
import { ChaosUpstreams, chaosKey } from "./chaos-upstreams.js";
import { compileForNode } from "./compile-for-node.js";
import { type RequestRecord, runOpenLoop } from "./open-loop.js";
import {
  epochMs,
  SERVER_CHILD_ENTRY,
  type ServerProcess,
  startServerProcess,
  type UpstreamCall,
} from "./server-process.js";

export { CHAOS_SCENARIOS, type ChaosScenarioName } from "./chaos-scenarios.js";

export interface ChaosBenchSettings {
  scenarios: readonly ChaosScenarioName[];
  /** Length of each scenario; the fault runs from 20% to 67% of it. */
  scenarioSeconds: number;
  /** Client requests per second, to each contender. */
  ratePerSecond: number;
  /** Latency of every healthy upstream answer. */
  baseLatencyMs: number;
  hedgeDelayMs: number;
  brownoutDelayMs: number;
  attemptTimeoutMs: number;
  seed: number /**
   * Run the servers through tsx instead of compiling them for plain node first (quicker to start,
   * for tests; tsx's loader thread adds about 50 MB to each server's RSS). Default false.
   */;
  viaTsx?: boolean;
}

export const DEFAULT_CHAOS_SETTINGS: ChaosBenchSettings = {
  scenarios: CHAOS_SCENARIOS,
  scenarioSeconds: 15,
  ratePerSecond: 50,
  baseLatencyMs: 20,
  hedgeDelayMs: 300,
  brownoutDelayMs: 3000,
  attemptTimeoutMs: 10_000,
  seed: 7,
};

export type Contender = "switchyard" | "sequential";

export interface ChaosScenarioReport {
  description: string;
  switchyard: ChaosFigures;
  sequential: ChaosFigures;
  /** Switchyard's results against the targets (absent where a target does not apply). */
  checks: {
    /** >= 99.9% success, when one provider stays healthy throughout. */
    successAtLeast999?: boolean;
    /** <= 1.1 upstream calls per request once the faulty upstream is skipped. */
    callsAfterDetectAtMost11?: boolean;
    /** Brownout: p99 <= hedge delay + the healthy p99 before the fault, with 10% allowance. */
    p99WithinHedgeBound?: boolean;
    hedgeBoundMs?: number;
  };
}

export interface ChaosBenchReport {
  scenarios: Partial<Record<ChaosScenarioName, ChaosScenarioReport>>;
  settings: ChaosBenchSettings;
  note: string;
}

const NOTE =
  "Switchyard (its own process, on plain node) and the sequential fallback baseline (its own " +
  "process: each provider in order on every request, one attempt each, no breaker, no cooldown, " +
  "no hedging) get the same open-loop load at the same time, against the same mock providers, " +
  "which run in the parent with the load generator and misbehave on the same schedule. Upstream " +
  "calls are counted inside each contender's process (undici's diagnostics channel), so refused " +
  "connections and hedges count too.";

/** Runs the chaos scenarios one after another; both contenders serve every scenario side by side. */
export async function runChaosBench(
  settings: ChaosBenchSettings = DEFAULT_CHAOS_SETTINGS,
  onProgress: (line: string) => void = () => undefined,
): Promise<ChaosBenchReport> {
  const durationMs = settings.scenarioSeconds * 1000;
  const plans: { scenario: ChaosScenario; upstreams: ChaosUpstreams }[] = [];
  const servers: ServerProcess[] = [];
  const agents = { switchyard: new Agent(), sequential: new Agent() };
  const compiled = settings.viaTsx
    ? { entry: undefined, cleanup: async () => undefined }
    : await compileForNode(SERVER_CHILD_ENTRY);
  try {
    for (const name of settings.scenarios) {
      const scenario = chaosScenario(name, {
        durationMs,
        brownoutDelayMs: settings.brownoutDelayMs,
        seed: settings.seed,
      });
      const upstreams = await ChaosUpstreams.start({
        scenario: name,
        baseLatencyMs: settings.baseLatencyMs,
        primaryKeys: scenario.primaryKeys,
      });
      plans.push({ scenario, upstreams });
    }
    const [switchyard, sequential] = await Promise.all([
      startServerProcess({
        compiledEntry: compiled.entry,
        trackUpstream: true,
        spec: { kind: "switchyard", configText: chaosConfigText(plans, settings) },
      }),
      startServerProcess({
        compiledEntry: compiled.entry,
        trackUpstream: true,
        spec: {
          kind: "sequential",
          models: sequentialModels(plans),
          attemptTimeoutMs: settings.attemptTimeoutMs,
        },
      }),
    ]);
    servers.push(switchyard, sequential);
    const contenders = { switchyard, sequential };
    const report: ChaosBenchReport = { scenarios: {}, settings, note: NOTE };
    for (const { scenario, upstreams } of plans) {
      await Promise.all([switchyard.stats(), sequential.stats()]);
      const startedAt = epochMs();
      const records = await runScenario(scenario, upstreams, durationMs, (contender) =>
        runOpenLoop({
          dispatcher: agents[contender],
          origin: contenders[contender].url,
          path: "/v1/chat/completions",
          body: JSON.stringify({
            model: scenario.name,
            messages: [{ role: "user", content: "Say hello." }],
            ...(scenario.stream ? { stream: true } : {}),
          }),
          stream: scenario.stream,
          ratePerSecond: settings.ratePerSecond,
          durationMs,
        }),
      );
      const [switchyardStats, sequentialStats] = await Promise.all([
        switchyard.stats(),
        sequential.stats(),
      ]);
      const origins = Object.values(upstreams.origins);
      const faultyKey = scenario.faulty?.split(":")[1];
      const isFaultyCall = (call: UpstreamCall) =>
        call.origin === upstreams.origins.primary &&
        (faultyKey === undefined || call.key === chaosKey(scenario.name, "primary", faultyKey));
      const figures = (contender: Contender, calls: readonly UpstreamCall[]) =>
        analyzeContender({
          scenario,
          startedAt,
          records: records[contender],
          calls,
          origins,
          isFaultyCall,
          detectGapMs: Math.max(500, (25 * 1000) / settings.ratePerSecond),
        });
      const scenarioReport: ChaosScenarioReport = {
        description: scenario.description,
        switchyard: figures("switchyard", switchyardStats.upstream),
        sequential: figures("sequential", sequentialStats.upstream),
        checks: {},
      };
      scenarioReport.checks = checksFor(scenario, scenarioReport, settings, () =>
        healthyP99Ms(records.switchyard, startedAt, scenario),
      );
      report.scenarios[scenario.name] = scenarioReport;
      onProgress(progressLine(scenario.name, scenarioReport));
    }
    return report;
  } finally {
    await Promise.all(servers.map((server) => server.close()));
    await Promise.all(plans.map(({ upstreams }) => upstreams.close()));
    await Promise.all([agents.switchyard.close(), agents.sequential.close()]);
    await compiled.cleanup();
  }
}

/** Runs both contenders' load while switching the fault on and off on the scenario's schedule. */
async function runScenario(
  scenario: ChaosScenario,
  upstreams: ChaosUpstreams,
  durationMs: number,
  load: (contender: Contender) => Promise<RequestRecord[]>,
): Promise<Record<Contender, RequestRecord[]>> {
  const timers: NodeJS.Timeout[] = [];
  let switching: Promise<void> = Promise.resolve();
  const toggle = (on: boolean) => {
    switching = switching.then(() => scenario.apply(upstreams, on));
  };
  for (const window of scenario.windows) {
    timers.push(setTimeout(() => toggle(true), window.startMs));
    timers.push(setTimeout(() => toggle(false), Math.min(window.endMs, durationMs)));
  }
  try {
    const [switchyard, sequential] = await Promise.all([load("switchyard"), load("sequential")]);
    return { switchyard, sequential };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await switching;
  }
}

function checksFor(
  scenario: ChaosScenario,
  report: ChaosScenarioReport,
  settings: ChaosBenchSettings,
  healthyP99: () => number,
): ChaosScenarioReport["checks"] {
  const figures = report.switchyard;
  const checks: ChaosScenarioReport["checks"] = {};
  if (scenario.oneProviderHealthy) checks.successAtLeast999 = figures.successRate >= 0.999;
  if (figures.upstreamCallsPerRequestAfterDetect !== null) {
    checks.callsAfterDetectAtMost11 = figures.upstreamCallsPerRequestAfterDetect <= 1.1;
  }
  if (scenario.name === "brownout") {
    const bound = Math.round(settings.hedgeDelayMs + healthyP99());
    checks.hedgeBoundMs = bound;
    checks.p99WithinHedgeBound = figures.p99Ms <= bound * 1.1;
  }
  return checks;
}

function progressLine(name: string, report: ChaosScenarioReport): string {
  const show = (label: string, figures: ChaosFigures) =>
    `${label} ${(figures.successRate * 100).toFixed(2)}% p50 ${figures.p50Ms} p99 ${figures.p99Ms} ms, ${figures.upstreamCallsPerRequest} calls/req, detect ${figures.detectMs ?? "-"} ms, recover ${figures.recoverMs ?? "-"} ms`;
  return `${name.padEnd(18)} ${show("switchyard", report.switchyard)}\n${"".padEnd(18)} ${show("sequential", report.sequential)}`;
}
