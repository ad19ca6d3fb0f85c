// Adapter benchmark: the per-call time of our LLM adapters next to the official SDKs, against the
// same mock provider server in the same run, plus the streaming parse throughput of our adapters.
//
//   npm run bench:adapters                   a table
//   npm run -s bench:adapters -- --json      one JSON object: {"adapters": {...}, "environment": {...}}
//
// Options: --batches N (default 41), --calls N per batch (default 50), --warmup N (default 300),
// --stream-chunks N (default 2000), --stream-runs N (default 15), --cpu-time (time the calls by this
// process's CPU time instead of the wall clock: the client's own cost, the mock's excluded).
//
// A call is a whole non-streaming generate, awaited, sequential, timed the same way for both
// clients; both figures include the same mock server time. So the mock runs in its own process (as
// a real upstream would), with request recording off, and the environment reports the floor: the
// same request sent with undici's bare `request()`, i.e. the mock and the network alone.

import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import { AnthropicVertex } from "@anthropic-ai/vertex-sdk";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GoogleGenAI } from "@google/genai";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import OpenAI, { AzureOpenAI } from "openai";
import { Agent } from "undici";
import type { ProviderContext } from "../src/engine/index.js";
import type { LlmProvider } from "../src/llm/index.js";
import { signRequest } from "../src/providers/bedrock/index.js";
import {
  createAnthropicProvider,
  createAzureOpenAIProvider,
  createBedrockProvider,
  createGeminiProvider,
  createOpenAIProvider,
  createVertexProvider,
} from "../src/providers/index.js";
import {
  bedrockMockSecret,
  type MockBehaviour,
  type MockRecordedRequest,
  startMockProviderServer,
  vertexMockToken,
} from "../src/testing/index.js";

const STREAM_MODEL = "bench-stream";
const REPLY_TEXT = "Hello from the mock provider.";
const PROMPT = "Say hello.";

interface Settings {
  json: boolean;
  cpuTime: boolean;
  batches: number;
  calls: number;
  warmup: number;
  streamChunks: number;
  streamRuns: number;
}

interface Contender {
  name: "openai" | "anthropic" | "gemini" | "azure-openai" | "bedrock" | "vertex";
  model: string;
  ours: LlmProvider;
  /** One non-streaming call through the official SDK; resolves to the reply text. */
  sdk(): Promise<string | null | undefined>;
  /** The same call with undici's bare `request()`: the floor (mock and network only). */
  floor: { path: string; body: string; headers: Record<string, string> };
}

function parseSettings(argv: readonly string[]): Settings {
  const count = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at === -1) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${flag} must be a positive integer (got ${argv[at + 1]})`);
    }
    return value;
  };
  return {
    json: argv.includes("--json"),
    cpuTime: argv.includes("--cpu-time"),
    batches: count("--batches", 41),
    calls: count("--calls", 50),
    warmup: count("--warmup", 300),
    streamChunks: count("--stream-chunks", 2000),
    streamRuns: count("--stream-runs", 15),
  };
}

/** Child mode: serve the mock (a short reply, or a long stream for STREAM_MODEL), report the URL. */
async function serveMock(streamChunks: number): Promise<void> {
  const short: MockBehaviour = { reply: { text: REPLY_TEXT } };
  const long: MockBehaviour = {
    reply: { text: "tok ".repeat(streamChunks) },
    chunks: streamChunks,
  };
  const mock = await startMockProviderServer({
    recordRequests: false,
    // The model is in the body (OpenAI, Anthropic) or the path (Gemini).
    defaultBehaviour: (request: MockRecordedRequest) => {
      const body = request.body as { model?: unknown } | undefined;
      return body?.model === STREAM_MODEL || request.path.includes(STREAM_MODEL) ? long : short;
    },
  });
  process.send?.({ url: mock.url });
  process.once("disconnect", () => void mock.close().then(() => process.exit(0)));
}

async function startMockProcess(
  streamChunks: number,
): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve-mock", String(streamChunks)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the mock process exited early (code ${code})`)));
  });
  return { url, child };
}

const AWS_CREDENTIALS = {
  accessKeyId: "AKIABENCH",
  secretAccessKey: bedrockMockSecret("AKIABENCH"),
};
const BEDROCK_MODEL = "anthropic.claude-haiku-4-5-v1:0";
const AZURE_VERSION = "2024-10-21";

/** The Bedrock floor's headers: the same request, signed once (the mock checks, not dates). */
async function bedrockFloorHeaders(url: string, body: string): Promise<Record<string, string>> {
  const target = new URL(url);
  return signRequest(
    {
      method: "POST",
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: `/model/${encodeURIComponent(BEDROCK_MODEL)}/converse`,
      headers: {
        host: target.host,
        "content-type": "application/json",
        accept: "application/json",
      },
      body,
    },
    { credentials: AWS_CREDENTIALS, region: "us-east-1", service: "bedrock" },
  );
}

async function cloudContenders(url: string): Promise<Contender[]> {
  const messages = [{ role: "user" as const, content: PROMPT }];
  const json = { "content-type": "application/json" };
  const token = vertexMockToken(Date.now() + 3_600_000);
  const azure = new AzureOpenAI({
    endpoint: url,
    apiKey: "azure-bench",
    apiVersion: AZURE_VERSION,
    deployment: "gpt-4o-mini",
    maxRetries: 0,
  });
  const bedrock = new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: url,
    credentials: AWS_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
  const vertex = new AnthropicVertex({
    baseURL: `${url}/v1`,
    region: "us-east5",
    projectId: "bench",
    authClient: {
      projectId: "bench",
      getRequestHeaders: async () => new Headers({ authorization: `Bearer ${token}` }),
    } as never,
    maxRetries: 0,
  });
  const converseBody = JSON.stringify({
    messages: [{ role: "user", content: [{ text: PROMPT }] }],
    inferenceConfig: { maxTokens: 256 },
  });
  return [
    {
      name: "azure-openai",
      model: "gpt-4o-mini",
      ours: createAzureOpenAIProvider({ apiKey: "azure-bench", baseUrl: url }),
      sdk: async () =>
        (await azure.chat.completions.create({ model: "gpt-4o-mini", messages })).choices[0]
          ?.message.content,
      floor: {
        path: `/openai/deployments/gpt-4o-mini/chat/completions?api-version=${AZURE_VERSION}`,
        body: JSON.stringify({ model: "gpt-4o-mini", messages }),
        headers: { ...json, "api-key": "azure-bench" },
      },
    },
    {
      name: "bedrock",
      model: BEDROCK_MODEL,
      ours: createBedrockProvider({
        region: "us-east-1",
        baseUrl: url,
        credentials: AWS_CREDENTIALS,
      }),
      sdk: async () =>
        (
          await bedrock.send(
            new ConverseCommand({
              modelId: BEDROCK_MODEL,
              messages: [{ role: "user", content: [{ text: PROMPT }] }],
              inferenceConfig: { maxTokens: 256 },
            }),
          )
        ).output?.message?.content?.[0]?.text,
      floor: {
        path: `/model/${encodeURIComponent(BEDROCK_MODEL)}/converse`,
        body: converseBody,
        headers: await bedrockFloorHeaders(url, converseBody),
      },
    },
    {
      name: "vertex",
      model: "claude-haiku-4-5@20251001",
      ours: createVertexProvider({
        project: "bench",
        location: "us-east5",
        baseUrl: url,
        tokenSource: async () => ({ value: token, expiresAtMs: undefined }),
      }),
      sdk: async () => {
        const message = await vertex.messages.create({
          model: "claude-haiku-4-5@20251001",
          max_tokens: 256,
          messages,
        });
        const first = message.content[0];
        return first?.type === "text" ? first.text : undefined;
      },
      floor: {
        path: "/v1/projects/bench/locations/us-east5/publishers/anthropic/models/claude-haiku-4-5%4020251001:rawPredict",
        body: JSON.stringify({ anthropic_version: "vertex-2023-10-16", max_tokens: 256, messages }),
        headers: { ...json, authorization: `Bearer ${token}` },
      },
    },
  ];
}

function contenders(url: string): Contender[] {
  const messages = [{ role: "user" as const, content: PROMPT }];
  const openai = new OpenAI({ apiKey: "sk-bench", baseURL: `${url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: "sk-ant-bench", baseURL: url, maxRetries: 0 });
  const google = new GoogleGenAI({ apiKey: "bench-key", httpOptions: { baseUrl: url } });
  const json = { "content-type": "application/json" };
  return [
    {
      name: "openai",
      model: "gpt-4o-mini",
      ours: createOpenAIProvider({ apiKey: "sk-bench", baseUrl: `${url}/v1` }),
      sdk: async () =>
        (await openai.chat.completions.create({ model: "gpt-4o-mini", messages })).choices[0]
          ?.message.content,
      floor: {
        path: "/v1/chat/completions",
        body: JSON.stringify({ model: "gpt-4o-mini", messages }),
        headers: { ...json, authorization: "Bearer sk-bench" },
      },
    },
    {
      name: "anthropic",
      model: "claude-haiku-4-5",
      ours: createAnthropicProvider({ apiKey: "sk-ant-bench", baseUrl: url }),
      sdk: async () => {
        const message = await anthropic.messages.create({
          model: "claude-haiku-4-5",
          max_tokens: 256,
          messages,
        });
        const first = message.content[0];
        return first?.type === "text" ? first.text : undefined;
      },
      floor: {
        path: "/v1/messages",
        body: JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 256, messages }),
        headers: { ...json, "x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01" },
      },
    },
    {
      name: "gemini",
      model: "gemini-2.5-flash",
      ours: createGeminiProvider({ apiKey: "bench-key", baseUrl: `${url}/v1beta` }),
      sdk: async () =>
        (await google.models.generateContent({ model: "gemini-2.5-flash", contents: PROMPT })).text,
      floor: {
        path: "/v1beta/models/gemini-2.5-flash:generateContent",
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: PROMPT }] }] }),
        headers: { ...json, "x-goog-api-key": "bench-key" },
      },
    },
  ];
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

/** Median batch time of each runner; the runners take turns, starting with a different one each batch. */
async function measureCalls(
  runners: readonly (() => Promise<void>)[],
  settings: Settings,
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
async function measureStream(contender: Contender, settings: Settings): Promise<number> {
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
  const path = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const { url, child } = await startMockProcess(settings.streamChunks);
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
  const environment = {
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
      "time alone, via undici's bare request()). ratio = nsPerCall / sdkNsPerCall, target <= 0.5. " +
      "streamChunksPerSecond: text deltas from the first stream part to the last.",
  };
  if (settings.json) {
    console.log(JSON.stringify({ adapters, environment }));
    return;
  }
  const us = (ns: number | undefined) => ((ns ?? 0) / 1000).toFixed(1).padStart(10);
  console.log(
    `node ${environment.node}, ${environment.cpu} x${environment.cpuCount}, ${environment.timing} time`,
  );
  console.log("adapter         ours us    SDK us    ratio   floor us   stream chunks/s");
  for (const [name, figures] of Object.entries(adapters)) {
    console.log(
      `${name.padEnd(13)}${us(figures.nsPerCall)}${us(figures.sdkNsPerCall)}${String(figures.ratio).padStart(9)}${us(floorNsPerCall[name])}${String(figures.streamChunksPerSecond).padStart(18)}`,
    );
  }
  console.log(environment.note);
}

if (process.argv[2] === "--serve-mock") {
  await serveMock(Number(process.argv[3] ?? 2000));
} else {
  await main();
}
