/**
 * The Messages pass-through to Claude on the clouds, through the gateway with the official Anthropic
 * SDK: Bedrock's InvokeModel / InvokeModelWithResponseStream and Vertex AI's rawPredict /
 * streamRawPredict receive the client's body byte for byte apart from the documented changes
 * (`model` and, on Bedrock, `stream` removed; `anthropic_version` added; on Bedrock the
 * `anthropic-beta` header moved into `anthropic_beta`), and the client gets Claude's answer and
 * events as the cloud sent them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { decodeEventStream } from "../../src/providers/bedrock/index.js";
import { bedrockMockSecret, type MockRecordedRequest } from "../../src/testing/index.js";
import { writeServiceAccountKey } from "../support/service-account-key.js";
import { harnessPool, TRANSLATED, upstreamCalls } from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());
const folder = mkdtempSync(join(tmpdir(), "switchyard-cloud-wire-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const BEDROCK_CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const VERTEX_CLAUDE = "claude-sonnet-4-5@20250929";
const BETAS = "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14";

/** A coding agent's turn: cached system blocks and tool, thinking with its signature, a document. */
const TURN = {
  model: "claude",
  max_tokens: 4096,
  system: [{ type: "text", text: "You are a coding agent.", cache_control: { type: "ephemeral" } }],
  messages: [
    {
      role: "user",
      content: [
        {
          type: "document",
          source: { type: "text", media_type: "text/plain", data: "spec: sum adds" },
          title: "spec.txt",
          cache_control: { type: "ephemeral", ttl: "1h" },
        },
        { type: "text", text: "Fix the failing test" },
      ],
    },
    {
      role: "assistant",
      content: [
        {
          type: "thinking",
          thinking: "Read the test first.",
          signature: "EqQBCkYIBxgCKkBsigBedrock000000000000",
        },
        { type: "redacted_thinking", data: "EmwKAhgBEgy3redacted000" },
        { type: "tool_use", id: "toolu_01Read", name: "Read", input: { path: "a.test.ts" } },
      ],
    },
    {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_01Read", content: "expect(2).toBe(3)" }],
    },
  ],
  tools: [
    {
      name: "Read",
      description: "Reads a file.",
      input_schema: { type: "object", properties: { path: { type: "string" } } },
      cache_control: { type: "ephemeral" },
    },
  ],
  thinking: { type: "enabled", budget_tokens: 2048 },
};

type Names = "aws" | "gcp";

function setup(order: "bedrock-first" | "vertex-first" = "bedrock-first") {
  return {
    mocks: ["aws", "gcp"] as const,
    config: (mocks: Record<Names, { url: string }>) => {
      const keyFile = writeServiceAccountKey(folder, `${mocks.gcp.url}/token`);
      const bedrock = { provider: "bedrock-us", model: BEDROCK_CLAUDE };
      const vertex = { provider: "vertex-eu", model: VERTEX_CLAUDE };
      const targets = order === "bedrock-first" ? [bedrock, vertex] : [vertex, bedrock];
      return {
        providers: [
          {
            name: "bedrock-us",
            type: "bedrock",
            region: "us-east-1",
            baseUrl: mocks.aws.url,
            keys: [{ accessKeyId: "AKIAWIRE", secretAccessKey: bedrockMockSecret("AKIAWIRE") }],
          },
          {
            name: "vertex-eu",
            type: "vertex",
            project: "p",
            location: "europe-west1",
            baseUrl: mocks.gcp.url,
            credentials: { file: keyFile },
          },
        ],
        models: [
          {
            name: "claude",
            targets: targets.map((target, index) => ({ ...target, priority: index + 1 })),
            retry: { maxAttempts: 1 },
          },
          {
            name: "nova",
            targets: [{ provider: "bedrock-us", model: "amazon.nova-pro-v1:0" }],
          },
        ],
      };
    },
  };
}

function only(requests: MockRecordedRequest[]): MockRecordedRequest {
  expect(requests).toHaveLength(1);
  return requests[0] as MockRecordedRequest;
}

/** The events of an SSE text, as sent (each with its framing). */
function sseEvents(text: string): string[] {
  return text.split(/(?<=\n\n)/).filter((event) => event.trim() !== "");
}

/** The Anthropic events a Bedrock stream carried, as the SSE the client should get. */
async function chunkEvents(sent: string[]): Promise<string[]> {
  const bytes = Buffer.from(sent.join(""), "latin1");
  const out: string[] = [];
  const messages = decodeEventStream(
    (async function* () {
      yield new Uint8Array(bytes);
    })(),
    { provider: "test", maxBytes: 1 << 20 },
  );
  for await (const message of messages) {
    const data = Buffer.from(JSON.parse(message.body).bytes, "base64").toString("utf8");
    out.push(`event: ${JSON.parse(data).type}\ndata: ${data}\n\n`);
  }
  return out;
}

const { model: _model, ...TURN_WITHOUT_MODEL } = TURN;
/** What Bedrock receives, streamed or not: `stream` is not in it either. */
const BEDROCK_BODY = JSON.stringify({
  ...TURN_WITHOUT_MODEL,
  anthropic_version: "bedrock-2023-05-31",
  anthropic_beta: BETAS.split(","),
});

describe.skipIf(TRANSLATED)("Messages to Claude on Bedrock: InvokeModel pass-through", () => {
  it("the body goes as it came minus model, plus anthropic_version and the betas; the answer comes back as sent", async () => {
    const h = await pool.start(setup());
    h.mocks.aws.enqueue({
      reply: {
        thinking: { text: "sum is wrong", signature: "EqQBsigFromBedrock" },
        text: "Fixed.",
        usage: { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 150 },
      },
    });
    const { data: message, response } = await h
      .anthropic({ apiKey: "sk-client-secret-bedrock" })
      .messages.create(TURN as unknown as Anthropic.MessageCreateParamsNonStreaming, {
        headers: { "anthropic-beta": BETAS },
      })
      .withResponse();
    const call = only(upstreamCalls(h.mocks.aws));
    expect(call.route).toBe("bedrock.invoke");
    expect(call.path).toBe(`/model/${encodeURIComponent(BEDROCK_CLAUDE)}/invoke`);
    expect(call.rawBody).toBe(BEDROCK_BODY);
    expect(call.headers["anthropic-beta"]).toBeUndefined();
    expect(call.headers["anthropic-version"]).toBeUndefined();
    expect(call.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAWIRE\//);
    expect(JSON.stringify(call.headers)).not.toContain("sk-client-secret-bedrock");
    await h.settled();
    expect(h.responses.at(-1)?.body).toBe(call.sent.join(""));
    expect(response.headers.get("x-switchyard-provider")).toBe("bedrock-us");
    expect(message.content[0]).toEqual({
      type: "thinking",
      thinking: "sum is wrong",
      signature: "EqQBsigFromBedrock",
    });
    // The usage Claude sent (the mock's split of uncached input may differ by version).
    expect(message.usage).toEqual(JSON.parse(call.sent.join("")).usage);
    expect(message.usage).toMatchObject({
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 150,
    });
  });

  it("a stream is relayed event by event from the chunks, without stream in the body", async () => {
    const h = await pool.start(setup());
    h.mocks.aws.enqueue({
      reply: {
        thinking: { text: "think", signature: "EqQBsigStream" },
        text: "Fixed sum() in a.ts.",
        usage: { inputTokens: 11, outputTokens: 7, cacheWriteTokens: 3 },
      },
    });
    const stream = h.anthropic().messages.stream(TURN as unknown as Anthropic.MessageStreamParams, {
      headers: { "anthropic-beta": BETAS },
    });
    const message = await stream.finalMessage();
    const call = only(upstreamCalls(h.mocks.aws));
    expect(call.route).toBe("bedrock.invoke-with-response-stream");
    expect(call.rawBody).toBe(BEDROCK_BODY);
    await h.settled();
    const relayed = sseEvents(h.responses.at(-1)?.body ?? "");
    expect(relayed).toEqual(await chunkEvents(call.sent));
    expect(relayed.at(-1)).toContain('"amazon-bedrock-invocationMetrics"');
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text"]);
    expect(message.usage.output_tokens).toBe(7);
  });

  it("an exception before the first output fails over to Claude on Vertex, passed through too", async () => {
    const h = await pool.start(setup());
    h.mocks.aws.enqueue({ fault: "error-event", afterChunks: 0, kind: "server" });
    h.mocks.gcp.enqueue({ reply: { text: "from vertex" } });
    const stream = h.anthropic().messages.stream(TURN as unknown as Anthropic.MessageStreamParams, {
      headers: { "anthropic-beta": BETAS },
    });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "from vertex" }]);
    expect(only(upstreamCalls(h.mocks.aws)).route).toBe("bedrock.invoke-with-response-stream");
    const vertex = only(upstreamCalls(h.mocks.gcp).filter((call) => call.path !== "/token"));
    expect(vertex.route).toBe("vertex.stream-raw-predict");
    expect(vertex.rawBody).toBe(
      JSON.stringify({
        ...TURN_WITHOUT_MODEL,
        stream: true,
        anthropic_version: "vertex-2023-10-16",
      }),
    );
    expect(vertex.headers["anthropic-beta"]).toBe(BETAS);
  });

  it("an exception after the first output ends the relayed stream with an error, without failover", async () => {
    const h = await pool.start(setup());
    h.mocks.aws.enqueue({
      fault: "error-event",
      afterChunks: 1,
      kind: "server",
      reply: { text: "one two three four five six" },
    });
    const stream = h.anthropic().messages.stream(TURN as unknown as Anthropic.MessageStreamParams);
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const error = await stream.finalMessage().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/interrupted after \d+ chunk/);
    expect(text.length).toBeGreaterThan(0);
    expect(upstreamCalls(h.mocks.gcp).filter((call) => call.path !== "/token")).toHaveLength(0);
  });

  it("a throttled invoke is classified as Bedrock's ThrottlingException and fails over", async () => {
    const h = await pool.start(setup());
    h.mocks.aws.enqueue({ error: { kind: "rate_limit" } });
    h.mocks.gcp.enqueue({ reply: { text: "from vertex" } });
    const { response } = await h
      .anthropic()
      .messages.create(TURN as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get("x-switchyard-provider")).toBe("vertex-eu");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
  });

  it("a model of another family on Bedrock is translated to Converse", async () => {
    const h = await pool.start(setup());
    const message = await h.anthropic().messages.create({
      model: "nova",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(only(upstreamCalls(h.mocks.aws)).route).toBe("bedrock.converse");
    expect(message.content[0]).toMatchObject({ type: "text" });
  });

  it("a document and a cache breakpoint reach Converse as a document block and a cachePoint", async () => {
    const h = await pool.start(setup());
    await h.anthropic().messages.create({
      model: "nova",
      max_tokens: 100,
      messages: [
        {
          role: "user",
          content: [
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" },
              title: "Q3 report.pdf",
              cache_control: { type: "ephemeral" },
            },
            { type: "text", text: "Summarise it." },
          ],
        },
      ],
    });
    const body = only(upstreamCalls(h.mocks.aws)).body as {
      messages: { content: Record<string, unknown>[] }[];
    };
    const blocks = body.messages[0]?.content ?? [];
    expect(blocks[0]).toMatchObject({
      document: { format: "pdf", name: "Q3 report-pdf", source: { bytes: "JVBERi0xLjQK" } },
    });
    expect(blocks[1]).toEqual({ cachePoint: { type: "default" } });
    expect(blocks[2]).toEqual({ text: "Summarise it." });
  });
});

describe.skipIf(TRANSLATED)("Messages to Claude on Vertex: rawPredict pass-through", () => {
  it("the body goes as it came minus model, plus anthropic_version; betas as a header; the answer as sent", async () => {
    const h = await pool.start(setup("vertex-first"));
    h.mocks.gcp.enqueue({
      reply: { thinking: { text: "t", signature: "EqQBsigVertex" }, text: "Fixed." },
    });
    const message = await h
      .anthropic()
      .messages.create(TURN as unknown as Anthropic.MessageCreateParamsNonStreaming, {
        headers: { "anthropic-beta": BETAS, "anthropic-version": "2023-06-01" },
      });
    const call = only(upstreamCalls(h.mocks.gcp).filter((c) => c.path !== "/token"));
    expect(call.route).toBe("vertex.raw-predict");
    expect(call.rawBody).toBe(
      JSON.stringify({ ...TURN_WITHOUT_MODEL, anthropic_version: "vertex-2023-10-16" }),
    );
    expect(call.headers["anthropic-beta"]).toBe(BETAS);
    expect(call.headers["anthropic-version"]).toBeUndefined();
    await h.settled();
    expect(h.responses.at(-1)?.body).toBe(call.sent.join(""));
    expect(message.content[0]).toMatchObject({ type: "thinking", signature: "EqQBsigVertex" });
  });

  it("a stream is relayed event by event", async () => {
    const h = await pool.start(setup("vertex-first"));
    h.mocks.gcp.enqueue({ reply: { text: "Fixed sum()." } });
    const message = await h
      .anthropic()
      .messages.stream(TURN as unknown as Anthropic.MessageStreamParams)
      .finalMessage();
    const call = only(upstreamCalls(h.mocks.gcp).filter((c) => c.path !== "/token"));
    expect(call.route).toBe("vertex.stream-raw-predict");
    await h.settled();
    expect(sseEvents(h.responses.at(-1)?.body ?? "")).toEqual(sseEvents(call.sent.join("")));
    expect(message.content).toEqual([{ type: "text", text: "Fixed sum()." }]);
  });
});
