import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { Agent } from "undici";
import type { ProviderContext } from "../../src/engine/index.js";
import { type Contender, cloudContenders, contenders, PROMPT } from "./adapter-contenders.js";
import { REPLY_TEXT, STREAM_MODEL, startMockProcess } from "./adapter-mock-process.js";

/** What to measure, and how (the command-line options of bench/adapters.ts but `--json`). */
export interface AdapterBenchSettings {
  cpuTime: boolean;
  batches: number;
  calls: number;
  warmup: number;
  streamChunks: number;
  streamRuns: number;
}

/** The figures of each adapter, and how and where they were measured. */
export interface AdapterBenchReport {
  adapters: Record<string, Record<string, number>>;
  environment: ReturnType<typeof environmentOf>;
}

function context(): ProviderContext {
  return { signal: new AbortController().signal, attempt: 1, targetId: "bench" };
}

/** Nanoseconds per call over one batch, by the wall clock or by this process's CPU time. */
async function timeBatch(calls: number, call: () => Promise<void>, cpuTime: boolean) {
  const cpuStart = cpuTime ? process.cpuUsage() : undefined;
  const wallStart = process.hrtime.bigint();
  for (let index = 0; index < calls; index++) await call();
  if (cpuStart === undefined) return Number(process.hrtime.bigint() - wallStart) / calls;
  const used = process.cpuUsage(cpuStart);
  return ((used.user + used.system) * 1000) / calls;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Median batch time of each runner; the runners take turns, starting with a different one each
 * batch.
 */
async function measureCalls(
  runners: readonly (() => Promise<void>)[],
  settings: AdapterBenchSettings,
): Promise<number[]> {
  for (let index = 0; index < settings.warmup; index++) for (const run of runners) await run();
  const batches: number[][] = runners.map(() => []);
  for (let batch = 0; batch < settings.batches; batch++) {
    for (let turn = 0; turn < runners.length; turn++) {
      const which = (batch + turn) % runners.length;
      const run = runners[which];
      if (run) batches[which]?.push(await timeBatch(settings.calls, run, settings.cpuTime));
    }
  }
  return batches.map(median);
}

function callRunners(contender: Contender, agent: Agent, url: string) {
  const request = {
    model: contender.model,
    messages: [{ role: "user" as const, content: PROMPT }],
    maxTokens: 256,
  };
  const check = (who: string, text: string | null | undefined) => {
    if (text !== REPLY_TEXT) throw new Error(`${contender.name} ${who}: unexpected reply ${text}`);
  };
  const { floor } = contender;
  return [
    async () => check("adapter", (await contender.ours.generate(request, context())).text),
    async () => check("SDK", await contender.sdk()),
    async () => {
      const response = await agent.request({ origin: url, method: "POST", ...floor });
      const body = (await response.body.json()) as { error?: unknown };
      if (response.statusCode !== 200 || body.error !== undefined) {
        throw new Error(`${contender.name} floor: HTTP ${response.statusCode}`);
      }
    },
  ];
}

/** Text deltas per second from the first stream part to the last (parsing and mapping). */
async function measureStream(
  contender: Contender,
  settings: AdapterBenchSettings,
): Promise<number> {
  const request = { model: STREAM_MODEL, messages: [{ role: "user" as const, content: "Count." }] };
  const run = async (): Promise<number> => {
    let deltas = 0;
    let firstAt: bigint | undefined;
    for await (const part of contender.ours.stream(request, context())) {
      firstAt ??= process.hrtime.bigint();
      if (part.type === "text-delta") deltas++;
    }
    if (deltas !== settings.streamChunks) {
      throw new Error(
        `${contender.name}: ${deltas} text deltas, expected ${settings.streamChunks}`,
      );
    }
    return (deltas / Number(process.hrtime.bigint() - (firstAt ?? 0n))) * 1e9;
  };
  for (let index = 0; index < 3; index++) await run();
  const rates: number[] = [];
  for (let index = 0; index < settings.streamRuns; index++) rates.push(await run());
  return median(rates);
}

function packageVersion(name: string): string {
  const path = fileURLToPath(new URL(`../../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}

/**
 * Runs the benchmark: forks `mockEntry` to serve the mock (see `startMockProcess`), then times
 * every contender's calls and streams against it.
 */
export async function runAdapterBench(
  settings: AdapterBenchSettings,
  mockEntry: string,
): Promise<AdapterBenchReport> {
  const { url, child } = await startMockProcess(mockEntry, settings.streamChunks);
  const agent = new Agent();
  const all = [...contenders(url), ...(await cloudContenders(url))];
  const adapters: Record<string, Record<string, number>> = {};
  const floorNsPerCall: Record<string, number> = {};
  try {
    for (const contender of all) {
      const [ours = 0, sdk = 0, floor = 0] = await measureCalls(
        callRunners(contender, agent, url),
        settings,
      );
      adapters[contender.name] = {
        nsPerCall: Math.round(ours),
        sdkNsPerCall: Math.round(sdk),
        ratio: Math.round((ours / sdk) * 1000) / 1000,
        streamChunksPerSecond: Math.round(await measureStream(contender, settings)),
      };
      floorNsPerCall[contender.name] = Math.round(floor);
    }
  } finally {
    await Promise.all([...all.map((contender) => contender.ours.close()), agent.close()]);
    child.disconnect();
  }
  return { adapters, environment: environmentOf(settings, floorNsPerCall) };
}

function environmentOf(settings: AdapterBenchSettings, floorNsPerCall: Record<string, number>) {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? "unknown",
    cpuCount: cpus().length,
    sdks: {
      openai: packageVersion("openai"),
      "@anthropic-ai/sdk": packageVersion("@anthropic-ai/sdk"),
      "@google/genai": packageVersion("@google/genai"),
      "@aws-sdk/client-bedrock-runtime": packageVersion("@aws-sdk/client-bedrock-runtime"),
      "@anthropic-ai/vertex-sdk": packageVersion("@anthropic-ai/vertex-sdk"),
    },
    undici: packageVersion("undici"),
    timing: settings.cpuTime ? "cpu" : "wall",
    method: {
      callsPerBatch: settings.calls,
      batches: settings.batches,
      warmupCalls: settings.warmup,
      streamChunks: settings.streamChunks,
      streamRuns: settings.streamRuns,
    },
    floorNsPerCall,
    note:
      "nsPerCall (our adapter) and sdkNsPerCall (the official SDK) are whole sequential " +
      "non-streaming calls, median of batch means, both including the same mock server time " +
      "(the mock runs in its own process, recording off; floorNsPerCall is that mock and network " +
      "time alone, via undici's bare request()). ratio = nsPerCall / sdkNsPerCall, " +
      "target <= 0.5. streamChunksPerSecond: text deltas from the first stream part to the last.",
  };
}
