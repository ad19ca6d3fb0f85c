// The "cut mid-stream" chaos scenario: the primary cuts a share of its streams at a random point,
// and the same load runs through a gateway in `streamRecovery: { mode: fail }` and one in
// `mode: continue`. In-process (mock upstreams and gateways), sequential-ish load, seeded.

import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import type { GatewayLogger } from "../../src/gateway/gateway-context.js";
import { loadProviderModules } from "../../src/gateway/routing/load-provider-modules.js";
import { SeededRandom } from "../../src/simulate/seeded-random.js";
import {
  type MockBehaviour,
  type MockProviderServer,
  type MockRecordedRequest,
  startMockProviderServer,
} from "../../src/testing/index.js";

export interface CutMidStreamSettings {
  /** Streamed requests per mode. */
  requests: number;
  /** Share of the primary's streams that are cut (0..1). */
  cutShare: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Delay between an answer's deltas. */
  chunkDelayMs: number;
  seed: number;
}

export const DEFAULT_CUT_MID_STREAM: CutMidStreamSettings = {
  requests: 200,
  cutShare: 0.3,
  concurrency: 8,
  chunkDelayMs: 5,
  seed: 7,
};

/** What one mode did for the same load. */
export interface CutMidStreamFigures {
  /** Share of client streams that ended cleanly with the whole answer. */
  completedShare: number;
  /** Upstream tokens (input and output) paid per request, over a clean answer's. */
  extraTokensShare: number;
  /** Median time of a stream that was not cut. */
  cleanStreamP50Ms: number;
  /** Median time to the whole answer for a stream that was cut (null: it never comes). */
  cutWholeAnswerP50Ms: number | null;
  /** `cutWholeAnswerP50Ms` less `cleanStreamP50Ms`. */
  addedLatencyMs: number | null;
}

export interface CutMidStreamReport {
  description: string;
  settings: CutMidStreamSettings;
  fail: CutMidStreamFigures;
  /** Mode fail, with a client that retries a failed stream once (modelled: a clean answer's cost and time added). */
  failWithClientRetry: CutMidStreamFigures;
  continue: CutMidStreamFigures;
}

const ANSWER = Array.from(
  { length: 40 },
  (_, index) => `word${index}${index % 8 === 7 ? "." : ""}`,
).join(" ");
const PROMPT = "Write forty words, please.";
const CHUNKS = 40;
const quiet = () => undefined;
const SILENT: GatewayLogger = { info: quiet, warn: quiet, error: quiet };

/** Rough tokens of a text, the same for every call (4 characters a token). */
const tokens = (text: string) => Math.ceil(text.length / 4);

function textOf(request: MockRecordedRequest): string {
  const body = request.body as { messages?: { content?: unknown }[] };
  return (body.messages ?? [])
    .map((message) => (typeof message.content === "string" ? message.content : ""))
    .join(" ");
}

/** The partial answer a continuation request carries (a prefill, or the turn before the instruction). */
function partialOf(request: MockRecordedRequest): string {
  const body = request.body as { messages?: { role?: string; content?: unknown }[] };
  const messages = body.messages ?? [];
  const assistant = [...messages].reverse().find((message) => message.role === "assistant");
  return typeof assistant?.content === "string" ? assistant.content : "";
}

interface Ledger {
  tokens: number;
}

/** Where each request's stream is cut (undefined: it is not), the same for both modes. */
function cutPlan(settings: CutMidStreamSettings): (number | undefined)[] {
  const random = new SeededRandom(settings.seed);
  return Array.from({ length: settings.requests }, () => {
    const cut = random.next() < settings.cutShare;
    const afterChunks = 1 + Math.floor(random.next() * (CHUNKS - 2));
    return cut ? afterChunks : undefined;
  });
}

/** The request's index, which the bench writes into its prompt. */
function indexOf(request: MockRecordedRequest): number {
  return Number(/#(\d+)/.exec(textOf(request))?.[1] ?? -1);
}

/** The upstreams of one mode: a primary that cuts the planned streams, a fallback that continues. */
async function upstreams(
  settings: CutMidStreamSettings,
  plan: readonly (number | undefined)[],
  ledger: Ledger,
): Promise<{ primary: MockProviderServer; fallback: MockProviderServer }> {
  const options = { chunks: CHUNKS, chunkDelayMs: settings.chunkDelayMs };
  const primary = await startMockProviderServer();
  primary.setDefault((request): MockBehaviour => {
    ledger.tokens += tokens(textOf(request));
    const afterChunks = plan[indexOf(request)];
    if (afterChunks === undefined) {
      ledger.tokens += tokens(ANSWER);
      return { reply: { text: ANSWER }, ...options };
    }
    ledger.tokens += tokens(ANSWER.split(" ").slice(0, afterChunks).join(" "));
    return { fault: "cut", afterChunks, reply: { text: ANSWER }, ...options };
  });
  const fallback = await startMockProviderServer();
  fallback.setDefault((request): MockBehaviour => {
    ledger.tokens += tokens(textOf(request));
    const partial = partialOf(request).trimEnd();
    const rest =
      partial !== "" && ANSWER.startsWith(partial) ? ANSWER.slice(partial.length) : ANSWER;
    ledger.tokens += tokens(rest);
    const words = rest.trim().split(" ").length;
    return { reply: { text: rest }, ...options, chunks: Math.max(1, words) };
  });
  return { primary, fallback };
}

interface StreamResult {
  index: number;
  text: string;
  completed: boolean;
  ms: number;
}

/** One streamed chat call on the gateway, read to its end as raw SSE. */
async function stream(url: string, index: number): Promise<StreamResult> {
  const startedAt = performance.now();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "cut",
      stream: true,
      messages: [{ role: "user", content: `${PROMPT} #${index}` }],
    }),
  });
  const body = await response.text();
  let text = "";
  for (const line of body.split("\n")) {
    if (!line.startsWith("data: {")) continue;
    const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] };
    text += chunk.choices?.[0]?.delta?.content ?? "";
  }
  const completed = body.includes("data: [DONE]") && !body.includes('data: {"error"');
  return {
    index,
    text,
    completed: completed && text === ANSWER,
    ms: performance.now() - startedAt,
  };
}

interface ModeRun extends CutMidStreamFigures {
  failed: number;
  cutP50Ms: number;
  clean: number;
  paidTokens: number;
}

async function runMode(
  mode: "fail" | "continue",
  settings: CutMidStreamSettings,
): Promise<ModeRun> {
  const ledger: Ledger = { tokens: 0 };
  const plan = cutPlan(settings);
  const { primary, fallback } = await upstreams(settings, plan, ledger);
  const config = {
    server: { host: "127.0.0.1", port: 0, shutdownGraceMs: 200 },
    providers: [
      {
        name: "primary",
        type: "openai",
        baseUrl: `${primary.url}/v1`,
        keys: [{ key: "sk-primary" }],
      },
      {
        name: "fallback",
        type: "anthropic",
        baseUrl: fallback.url,
        keys: [{ key: "sk-fallback" }],
      },
    ],
    models: [
      {
        name: "cut",
        targets: [
          { provider: "primary", model: "gpt-4o", priority: 1 },
          { provider: "fallback", model: "claude-sonnet-4-5", priority: 2 },
        ],
        failureThreshold: 100_000,
        streamRecovery: { mode, maxContinuations: 1 },
      },
    ],
  };
  const loaded = parseConfigText(JSON.stringify(config), { env: {} });
  const gateway = new Gateway(loaded, {
    logger: SILENT,
    providerTypes: await loadProviderModules(loaded),
  });
  const url = await gateway.listen({ host: "127.0.0.1", port: 0 });
  try {
    const results: StreamResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < settings.requests) {
        const index = next;
        next += 1;
        results.push(await stream(url, index));
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
    const clean = tokens(PROMPT) + tokens(ANSWER);
    const cut = results.filter((result) => plan[result.index] !== undefined);
    const uncut = results.filter((result) => plan[result.index] === undefined);
    const completed = results.filter((result) => result.completed).length;
    const cleanStreamP50Ms = Math.round(median(uncut.map((result) => result.ms)));
    const cutCompleted = cut.filter((result) => result.completed);
    const cutWholeAnswerP50Ms =
      cutCompleted.length === cut.length
        ? Math.round(median(cutCompleted.map((result) => result.ms)))
        : null;
    return {
      completedShare: round(completed / results.length),
      extraTokensShare: round(ledger.tokens / (results.length * clean) - 1),
      cleanStreamP50Ms,
      cutWholeAnswerP50Ms,
      addedLatencyMs: cutWholeAnswerP50Ms === null ? null : cutWholeAnswerP50Ms - cleanStreamP50Ms,
      failed: results.length - completed,
      cutP50Ms: Math.round(median(cut.map((result) => result.ms))),
      clean,
      paidTokens: ledger.tokens,
    };
  } finally {
    await gateway.close(200);
    await Promise.all([primary.close(), fallback.close()]);
  }
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Runs the scenario in both modes on the same seeded schedule of cuts. */
export async function runCutMidStream(
  settings: CutMidStreamSettings = DEFAULT_CUT_MID_STREAM,
): Promise<CutMidStreamReport> {
  const fail = await runMode("fail", settings);
  const continued = await runMode("continue", settings);
  const figures = ({ failed: _f, cutP50Ms: _c, clean: _k, paidTokens: _p, ...rest }: ModeRun) =>
    rest;
  // The retry is cut as often as any stream; its cost and time are a clean answer's.
  const requests = settings.requests;
  const retryWhole = fail.cutP50Ms + fail.cleanStreamP50Ms;
  return {
    description: `the primary cuts ${settings.cutShare * 100}% of its streams (socket destroyed) at a random delta of ${CHUNKS}; the fallback continues from the partial answer`,
    settings,
    fail: figures(fail),
    failWithClientRetry: {
      completedShare: round((requests - fail.failed * settings.cutShare) / requests),
      extraTokensShare: round(
        (fail.paidTokens + fail.failed * fail.clean) / (requests * fail.clean) - 1,
      ),
      cleanStreamP50Ms: fail.cleanStreamP50Ms,
      cutWholeAnswerP50Ms: retryWhole,
      addedLatencyMs: retryWhole - fail.cleanStreamP50Ms,
    },
    continue: figures(continued),
  };
}

/** The scenario's lines for the terminal and the Markdown page. */
export function cutMidStreamLines(report: CutMidStreamReport): string[] {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const row = (mode: string, figures: CutMidStreamFigures) =>
    `| ${mode} | ${percent(figures.completedShare)} | ${percent(figures.extraTokensShare)} | ${figures.cleanStreamP50Ms} | ${figures.cutWholeAnswerP50Ms ?? "never"} | ${figures.addedLatencyMs ?? "-"} |`;
  return [
    "## Cut mid-stream",
    "",
    `${report.description}; ${report.settings.requests} streams per mode, ${report.settings.concurrency} at once, ${report.settings.chunkDelayMs} ms between deltas, seed ${report.settings.seed}.`,
    "",
    "| streamRecovery | streams completed | extra upstream tokens | clean stream p50 ms | cut stream, whole answer p50 ms | added latency ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    row("mode: fail", report.fail),
    row("mode: fail, client retries once (modelled)", report.failWithClientRetry),
    row("mode: continue", report.continue),
    "",
  ];
}
