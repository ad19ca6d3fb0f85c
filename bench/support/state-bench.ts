import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RedisServer, startRedisServer } from "../../test/support/redis-server.js";
import { runAutocannonCell } from "./autocannon-cell.js";
import { compileForNode } from "./compile-for-node.js";
import { chatBody } from "./gateway-cells.js";
import { round, summarizeLatencies } from "./latency-summary.js";
import {
  type ProcessStats,
  SERVER_CHILD_ENTRY,
  type ServerProcess,
  startServerProcess,
} from "./server-process.js";

export const STATE_TARGETS = ["memory", "redis", "redisAndTraces"] as const;
export type StateTarget = (typeof STATE_TARGETS)[number];

export interface StateBenchSettings {
  /** Rounds: every target runs one throughput cell per round; a figure is the median over rounds. */
  rounds: number;
  cellSeconds: number;
  /** Seconds of closed-loop load per target before anything is measured. */
  warmupSeconds: number;
  connections: number;
  /**
   * Run the servers through tsx instead of compiling them for plain node first (quicker to start,
   * for tests). Default false.
   */
  viaTsx?: boolean;
  /** Write a V8 CPU profile of the `redisAndTraces` gateway into this folder. */
  cpuProfileDir?: string;
}

export const DEFAULT_STATE_SETTINGS: StateBenchSettings = {
  rounds: 2,
  cellSeconds: 4,
  warmupSeconds: 2,
  connections: 50,
};

export interface StateFigures {
  /** Closed-loop throughput: the median over rounds of each round's requests per second. */
  rps: number;
  /** Each round's requests per second, in round order. */
  roundsRps: number[];
  /** Latency of the closed-loop answers, all rounds together. */
  p50Ms: number;
  p99Ms: number;
  /** The gateway process's CPU time (user + system) per request in its measured cells. */
  cpuUsPerRequest: number;
  /** Socket errors, timeouts and non-2xx answers over the measured cells. */
  errors: number;
  /**
   * Commands Redis processed per request during this target's cells (any client: only this
   * target runs meanwhile). The happy path should need none.
   */
  redisCommandsPerRequest: number;
}

export interface StateBenchReport extends Record<StateTarget, StateFigures> {
  /** `1 - redisAndTraces.rps / memory.rps`: the throughput given up for shared state and traces. */
  cost: number | null;
  /** `1 - redis.rps / memory.rps`. */
  redisCost: number | null;
  /** Whether `cost` is at most 0.15. */
  costAtMost015: boolean;
  settings: StateBenchSettings;
  note: string;
}

const NOTE =
  "The mock provider, a throwaway redis-server and three Switchyard processes (in-memory state; " +
  "state.redis; state.redis plus database sqlite:<tmp file>) run on loopback, each in its own " +
  "process; autocannon runs in the parent and shares the cores. Cells are interleaved (the order " +
  "rotates every round), closed loop, non-streaming chat completions.";

/** A Switchyard config with one provider in front of the mock, plus shared state and traces as asked. */
export function stateConfigText(
  mockUrl: string,
  options: { redisUrl?: string; sqliteFile?: string },
): string {
  return JSON.stringify({
    server: { host: "127.0.0.1", port: 0, shutdownGraceMs: 500 },
    providers: [
      { name: "primary", type: "openai", baseUrl: `${mockUrl}/v1`, keys: [{ key: "sk-bench" }] },
    ],
    models: [
      {
        name: "gpt-4o-mini",
        targets: [{ provider: "primary", model: "gpt-4o-mini", priority: 1 }],
      },
    ],
    ...(options.redisUrl ? { state: { redis: options.redisUrl } } : {}),
    ...(options.sqliteFile ? { database: { url: `sqlite:${options.sqliteFile}` } } : {}),
    logging: { level: "warn" },
  });
}

const cpuOf = (stats: ProcessStats) => stats.cpuUserUs + stats.cpuSystemUs;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

interface Measured {
  rps: number[];
  latenciesMs: number[];
  requests: number;
  cpuUs: number;
  errors: number;
  redisCommands: number;
}

/** Commands the Redis server has processed since it started (`INFO stats`). */
async function redisCommandCount(redis: RedisServer): Promise<number> {
  const info = await redis.command("INFO", "stats");
  const match = /total_commands_processed:(\d+)/.exec(info);
  return match ? Number(match[1]) : 0;
}

/**
 * Runs the state benchmark: the same closed-loop load on three Switchyard configs that differ only
 * in `state` and `database`, interleaved round by round. Every process it starts (the mock, Redis,
 * the gateways) is stopped by its PID before it returns.
 */
export async function runStateBench(
  settings: StateBenchSettings = DEFAULT_STATE_SETTINGS,
  onProgress: (line: string) => void = () => undefined,
): Promise<StateBenchReport> {
  const started: ServerProcess[] = [];
  const folder = await mkdtemp(join(tmpdir(), "switchyard-state-bench-"));
  const compiled = settings.viaTsx
    ? { entry: undefined, cleanup: async () => undefined }
    : await compileForNode(SERVER_CHILD_ENTRY);
  const redis = await startRedisServer();
  const start = async (configText: string | undefined, cpuProfileDir?: string) => {
    const server = await startServerProcess({
      compiledEntry: compiled.entry,
      ...(cpuProfileDir ? { cpuProfileDir } : {}),
      spec:
        configText === undefined
          ? { kind: "mock", streamChunks: 1 }
          : { kind: "switchyard", configText },
    });
    started.push(server);
    return server;
  };
  try {
    const mock = await start(undefined);
    const [memory, redisOnly, redisAndTraces] = await Promise.all([
      start(stateConfigText(mock.url, {})),
      start(stateConfigText(mock.url, { redisUrl: redis.url })),
      start(
        stateConfigText(mock.url, { redisUrl: redis.url, sqliteFile: join(folder, "traces.db") }),
        settings.cpuProfileDir,
      ),
    ]);
    const servers: Record<StateTarget, ServerProcess> = {
      memory,
      redis: redisOnly,
      redisAndTraces,
    };
    const body = chatBody(false);
    const cell = (target: StateTarget, seconds: number) =>
      runAutocannonCell({
        url: `${servers[target].url}/v1/chat/completions`,
        body,
        connections: settings.connections,
        durationSeconds: seconds,
      });
    if (settings.warmupSeconds > 0) {
      for (const target of STATE_TARGETS) await cell(target, settings.warmupSeconds);
    }
    const measured = Object.fromEntries(
      STATE_TARGETS.map((target) => [
        target,
        {
          rps: [],
          latenciesMs: [],
          requests: 0,
          cpuUs: 0,
          errors: 0,
          redisCommands: 0,
        } as Measured,
      ]),
    ) as Record<StateTarget, Measured>;
    for (let roundIndex = 0; roundIndex < settings.rounds; roundIndex++) {
      for (const target of rotate(STATE_TARGETS, roundIndex)) {
        const before = await servers[target].stats();
        const commandsBefore = await redisCommandCount(redis);
        const sample = await cell(target, settings.cellSeconds);
        const commandsAfter = await redisCommandCount(redis);
        const after = await servers[target].stats();
        const rps = sample.seconds > 0 ? sample.requests / sample.seconds : 0;
        const into = measured[target];
        into.rps.push(rps);
        into.latenciesMs.push(...sample.latenciesMs);
        into.requests += sample.requests;
        into.cpuUs += cpuOf(after) - cpuOf(before);
        into.errors += sample.errors;
        // Less the INFO command that read the count.
        into.redisCommands += Math.max(0, commandsAfter - commandsBefore - 1);
        onProgress(
          `round ${roundIndex + 1} ${target.padEnd(15)} ${String(Math.round(rps)).padStart(6)} rps${sample.errors ? `  errors ${sample.errors}` : ""}`,
        );
      }
    }
    const figures = (target: StateTarget): StateFigures => {
      const m = measured[target];
      const latency = summarizeLatencies(m.latenciesMs);
      return {
        rps: Math.round(median(m.rps)),
        roundsRps: m.rps.map((value) => Math.round(value)),
        p50Ms: latency.p50Ms,
        p99Ms: latency.p99Ms,
        cpuUsPerRequest: m.requests > 0 ? round(m.cpuUs / m.requests, 1) : 0,
        errors: m.errors,
        redisCommandsPerRequest: m.requests > 0 ? round(m.redisCommands / m.requests, 3) : 0,
      };
    };
    const report = {
      memory: figures("memory"),
      redis: figures("redis"),
      redisAndTraces: figures("redisAndTraces"),
    };
    const costOf = (rps: number) =>
      report.memory.rps > 0 ? round(1 - rps / report.memory.rps, 3) : null;
    const cost = costOf(report.redisAndTraces.rps);
    return {
      ...report,
      cost,
      redisCost: costOf(report.redis.rps),
      costAtMost015: cost !== null && cost <= 0.15,
      settings,
      note: NOTE,
    };
  } finally {
    await Promise.all(started.map((server) => server.close()));
    await redis.destroy();
    await compiled.cleanup();
    await rm(folder, { recursive: true, force: true });
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
