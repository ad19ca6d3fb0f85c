import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isProviderError, type ProviderError } from "../../errors/provider-error.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { parseSse } from "../shared/parse-sse.js";
import { mapStream } from "./map-stream.js";

const fixtureBytes = (name: string): Uint8Array =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

async function* bytes(...chunks: (Uint8Array | string)[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks)
    yield typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
}

/** Runs a stream to its end, collecting the parts and the error it threw, if any. */
async function run(
  body: AsyncIterable<Uint8Array>,
): Promise<{ parts: ChatStreamPart[]; error?: ProviderError }> {
  const parts: ChatStreamPart[] = [];
  try {
    for await (const part of mapStream(parseSse(body), { provider: "primary" })) parts.push(part);
  } catch (error) {
    if (!isProviderError(error)) throw error;
    return { parts, error };
  }
  return { parts };
}

describe("mapStream", () => {
  it("maps a text stream with usage, metadata first and finish last", async () => {
    const { parts, error } = await run(bytes(fixtureBytes("stream-text.sse")));
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      { type: "response-metadata", id: "chatcmpl-123", model: "gpt-4o-mini" },
      { type: "text-delta", text: "Hello" },
      { type: "text-delta", text: " there! 👋" },
      {
        type: "usage",
        usage: {
          inputTokens: 19,
          outputTokens: 3,
          cachedInputTokens: 8,
          reasoningTokens: 0,
          totalTokens: 22,
        },
      },
      { type: "finish", finishReason: "stop", rawFinishReason: "stop" },
    ]);
  });

  it("gives the same parts however the bytes are chunked", async () => {
    const whole = fixtureBytes("stream-text.sse");
    const expected = (await run(bytes(whole))).parts;
    const oneByteChunks = Array.from(whole, (byte) => Uint8Array.of(byte));
    expect((await run(bytes(...oneByteChunks))).parts).toEqual(expected);
  });

  it("maps parallel tool call deltas", async () => {
    const { parts, error } = await run(bytes(fixtureBytes("stream-tool-calls.sse")));
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      { type: "response-metadata", id: "chatcmpl-456", model: "gpt-4o-mini" },
      {
        type: "tool-call-delta",
        index: 0,
        id: "call_abc123",
        name: "get_current_weather",
        argumentsDelta: "",
      },
      { type: "tool-call-delta", index: 0, argumentsDelta: '{"location":' },
      { type: "tool-call-delta", index: 0, argumentsDelta: ' "Boston, MA"}' },
      {
        type: "tool-call-delta",
        index: 1,
        id: "call_def456",
        name: "get_current_weather",
        argumentsDelta: '{"location": "Paris"}',
      },
      { type: "finish", finishReason: "tool_calls", rawFinishReason: "tool_calls" },
    ]);
  });

  it("throws a classified error for an error object mid-stream", async () => {
    const { parts, error } = await run(bytes(fixtureBytes("stream-error.sse")));
    expect(parts.map((part) => part.type)).toEqual(["response-metadata", "text-delta"]);
    expect(error?.kind).toBe("transient");
    expect(error?.vendorCode).toBe("server_error");
  });

  it("throws before any part when the first event is an error", async () => {
    const { parts, error } = await run(
      bytes(
        'data: {"error":{"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded"}}\n\n',
      ),
    );
    expect(parts).toEqual([]);
    expect(error?.kind).toBe("rate_limited");
  });

  it("throws transient when the stream ends without [DONE]", async () => {
    const { parts, error } = await run(bytes(fixtureBytes("stream-truncated.sse")));
    expect(parts.map((part) => part.type)).toEqual([
      "response-metadata",
      "text-delta",
      "text-delta",
    ]);
    expect(error?.kind).toBe("transient");
    expect(error?.message).toContain("[DONE]");
  });

  it("throws transient on malformed JSON", async () => {
    const { error } = await run(bytes('data: {"id":"x","choices":[\n\n', "data: [DONE]\n\n"));
    expect(error?.kind).toBe("transient");
    expect(error?.message).toContain("malformed JSON");
  });

  it("sends no metadata until there is output, then metadata before the finish of an empty answer", async () => {
    const { parts } = await run(
      bytes(
        'data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n',
        'data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}\n\n',
        "data: [DONE]\n\n",
      ),
    );
    expect(parts).toEqual([
      { type: "response-metadata", id: "c1", model: "m" },
      { type: "finish", finishReason: "length", rawFinishReason: "length" },
    ]);
  });

  it.each([
    ["content_filter", "content_filter"],
    ["function_call", "tool_calls"],
    ["length", "length"],
  ])("maps finish_reason %s", async (raw, expected) => {
    const { parts } = await run(
      bytes(
        `data: {"id":"c","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"${raw}"}]}\n\ndata: [DONE]\n\n`,
      ),
    );
    expect(parts.at(-1)).toEqual({ type: "finish", finishReason: expected, rawFinishReason: raw });
  });
});

describe("mapStream for a relayed stream", () => {
  /** Usage and finish parts, and whether an error was thrown, as the relay reads them. */
  async function readRelayed(sse: string, relay: boolean) {
    const parts: ChatStreamPart[] = [];
    let error: unknown;
    try {
      for await (const part of mapStream(parseSse(bytes(sse)), { provider: "primary", relay })) {
        parts.push(part);
      }
    } catch (caught) {
      error = caught;
    }
    const read = parts.filter((part) => part.type === "usage" || part.type === "finish");
    return { read, error: error !== undefined, count: parts.length };
  }

  const chunk = (body: Record<string, unknown>) => `data: ${JSON.stringify(body)}\n\n`;
  const delta = (content: string, finish: string | null = null, extra = {}) =>
    chunk({
      id: "c1",
      model: "m",
      choices: [{ index: 0, delta: { content }, finish_reason: finish }],
      ...extra,
    });
  const usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };

  const streams: Record<string, string> = {
    "usage in the last chunk, usage:null before": [
      delta("Hi", null, { usage: null }),
      delta(" there", null, { usage: null }),
      delta("", "stop", { usage: null }),
      chunk({ id: "c1", model: "m", choices: [], usage }),
      "data: [DONE]\n\n",
    ].join(""),
    "finish and usage in the same chunk after the first output": [
      delta("Hi"),
      delta("!", "length", { usage }),
      "data: [DONE]\n\n",
    ].join(""),
    "a second choice with a null finish beside the first's": [
      delta("Hi"),
      chunk({
        id: "c1",
        model: "m",
        choices: [
          { index: 0, delta: { content: "" }, finish_reason: "stop" },
          { index: 1, delta: { content: "x" }, finish_reason: null },
        ],
      }),
      "data: [DONE]\n\n",
    ].join(""),
    "usage with spaces, text that spells the keys": [
      delta("Hi"),
      delta('"finish_reason":null "usage":{} "error"'),
      'data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason": "stop"}],"usage": {"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\n',
      "data: [DONE]\n\n",
    ].join(""),
    "usage before the choices, with spaces, an error that is null": [
      delta("Hi"),
      'data: {"id":"c1","usage" : {"prompt_tokens":3,"completion_tokens":4,"total_tokens":7},"error": null,"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}\n\n',
      'data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason" :"stop"}]}\n\n',
      "data: [DONE]\n\n",
    ].join(""),
    "an error object mid-stream": [
      delta("Hi"),
      chunk({ error: { message: "overloaded", type: "server_error" } }),
      "data: [DONE]\n\n",
    ].join(""),
  };

  it.each(Object.keys(streams))(
    "reads usage, finish and errors as a full read does: %s",
    async (name) => {
      const sse = streams[name] ?? "";
      const full = await readRelayed(sse, false);
      const relayed = await readRelayed(sse, true);
      expect(relayed.read).toEqual(full.read);
      expect(relayed.error).toBe(full.error);
      expect(relayed.read.length > 0 || relayed.error).toBe(true);
    },
  );

  it("reads no part from a chunk it does not parse (the relay passes events on as they are read)", async () => {
    const sse = [delta("a"), delta("b"), delta("c"), delta("", "stop"), "data: [DONE]\n\n"].join(
      "",
    );
    const parts: ChatStreamPart[] = [];
    for await (const part of mapStream(parseSse(bytes(sse)), { provider: "p", relay: true })) {
      parts.push(part);
    }
    expect(parts).toEqual([
      { type: "response-metadata", id: "c1", model: "m" },
      { type: "text-delta", text: "a" },
      { type: "finish", finishReason: "stop", rawFinishReason: "stop" },
    ]);
  });

  it("skips a chunk whose keys are null however they are spaced, and parses one with a value", async () => {
    const spaced =
      'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"b"},"finish_reason" : null}],"usage": null}\n\n';
    const valued =
      'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"c"},"finish_reason":null}],"usage": {"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\n';
    const sse = [delta("a"), spaced, valued, "data: [DONE]\n\n"].join("");
    const texts: string[] = [];
    for await (const part of mapStream(parseSse(bytes(sse)), { provider: "p", relay: true })) {
      if (part.type === "text-delta") texts.push(part.text);
    }
    expect(texts).toEqual(["a", "c"]);
  });
});
