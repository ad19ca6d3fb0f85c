import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isProviderError, type ProviderError } from "../../errors/provider-error.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { parseSse, type SseEvent } from "../shared/parse-sse.js";
import { mapGeminiStream } from "./map-stream.js";

function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

async function* chunked(bytes: Uint8Array, cuts: number[] = []): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= start || cut >= bytes.length) continue;
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

async function run(
  events: AsyncIterable<SseEvent>,
): Promise<{ parts: ChatStreamPart[]; error: ProviderError | undefined }> {
  const parts: ChatStreamPart[] = [];
  try {
    for await (const part of mapGeminiStream(events, { provider: "gem", model: "gemini-x" })) {
      parts.push(part);
    }
  } catch (error) {
    if (!isProviderError(error)) throw error;
    return { parts, error };
  }
  return { parts, error: undefined };
}

function runFixture(name: string, cuts?: number[]) {
  return run(parseSse(chunked(fixtureBytes(name), cuts)));
}

async function* events(...data: string[]): AsyncGenerator<SseEvent> {
  for (const item of data) yield { event: undefined, data: item, id: undefined };
}

const metadata = {
  type: "response-metadata",
  id: "WCgiaejwFOKyz7IPy7-BuAk",
  model: "gemini-2.5-flash",
} as const;

describe("mapGeminiStream", () => {
  it("streams text deltas, then usage and finish from the chunk with the finishReason", async () => {
    const { parts, error } = await runFixture("stream-text.sse");
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      metadata,
      { type: "text-delta", text: "The" },
      { type: "text-delta", text: " sky is blue because of Rayleigh" },
      { type: "text-delta", text: " scattering." },
      {
        type: "usage",
        usage: {
          inputTokens: 7,
          outputTokens: 42,
          cachedInputTokens: 0,
          reasoningTokens: 31,
          totalTokens: 49,
        },
      },
      { type: "finish", finishReason: "stop", rawFinishReason: "STOP" },
    ]);
  });

  it("yields the same parts however the bytes are split", async () => {
    const bytes = fixtureBytes("stream-function-call.sse");
    const expected = (await runFixture("stream-function-call.sse")).parts;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }),
        async (cuts) => {
          const { parts, error } = await run(parseSse(chunked(bytes, cuts)));
          expect(error).toBeUndefined();
          expect(parts).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("reads thoughts and signatures as reasoning, held back until the first output", async () => {
    const { parts } = await runFixture("stream-thinking.sse");
    expect(parts.filter((part) => part.type === "text-delta")).toEqual([
      { type: "text-delta", text: "Blue." },
    ]);
    // The thought-only chunk yields nothing yet: metadata still comes right before the first output,
    // with the held thought and the answer's signature after it.
    expect(parts.slice(0, 4)).toEqual([
      metadata,
      {
        type: "reasoning-delta",
        origin: "gemini",
        text: "**Considering the question**\n\nThe user asks about colour.",
      },
      {
        type: "reasoning-delta",
        origin: "gemini",
        text: "",
        signature: "CiIB0e2Kb0vxj2dWQm9aRkZ1ZlNwRk5BSmVZT2lFWkp6Y3c=",
      },
      { type: "text-delta", text: "Blue." },
    ]);
  });

  it("emits each whole function call as one tool-call delta and finishes with tool_calls", async () => {
    const { parts } = await runFixture("stream-function-call.sse");
    expect(parts).toEqual([
      metadata,
      { type: "text-delta", text: "Let me check both." },
      {
        type: "reasoning-delta",
        origin: "gemini",
        text: "",
        signature: "CiQB0e2Kb6Ts1kXwZkd0ekuMRZkQ0jmX",
      },
      {
        type: "tool-call-delta",
        index: 0,
        id: "call_0",
        name: "get_weather",
        argumentsDelta: '{"location":"Paris"}',
      },
      {
        type: "tool-call-delta",
        index: 1,
        id: "call_1",
        name: "get_time",
        argumentsDelta: '{"timezone":"Europe/Paris"}',
      },
      {
        type: "usage",
        usage: {
          inputTokens: 7,
          outputTokens: 64,
          cachedInputTokens: 0,
          reasoningTokens: 40,
          totalTokens: 71,
        },
      },
      { type: "finish", finishReason: "tool_calls", rawFinishReason: "STOP" },
    ]);
  });

  it("maps MAX_TOKENS to a length finish", async () => {
    const { parts } = await runFixture("stream-max-tokens.sse");
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: "length",
      rawFinishReason: "MAX_TOKENS",
    });
  });

  it("throws transient when the stream ends without a finishReason, after what it yielded", async () => {
    const { parts, error } = await runFixture("stream-truncated.sse");
    expect(parts.map((part) => part.type)).toEqual([
      "response-metadata",
      "text-delta",
      "text-delta",
    ]);
    expect(error?.kind).toBe("transient");
    expect(error?.message).toContain("without a finishReason after 2 chunk(s)");
  });

  it("throws transient for an empty stream, before yielding anything", async () => {
    const { parts, error } = await run(events());
    expect(parts).toEqual([]);
    expect(error?.kind).toBe("transient");
  });

  it("throws the classified error found inside the stream", async () => {
    const midway = await runFixture("stream-error-midway.sse");
    expect(midway.parts.map((part) => part.type)).toEqual(["response-metadata", "text-delta"]);
    expect([midway.error?.kind, midway.error?.status, midway.error?.vendorCode]).toEqual([
      "transient",
      503,
      "UNAVAILABLE",
    ]);
    const first = await runFixture("stream-error-first.sse");
    expect(first.parts).toEqual([]);
    expect([first.error?.kind, first.error?.status]).toEqual(["transient", 500]);
  });

  it("throws content_filter for a blocked prompt, before yielding anything", async () => {
    const { parts, error } = await runFixture("stream-blocked-prompt.sse");
    expect(parts).toEqual([]);
    expect([error?.kind, error?.vendorCode]).toEqual(["content_filter", "SAFETY"]);
  });

  it("throws transient on malformed JSON", async () => {
    const { error } = await run(events('{"candidates": [{"content": '));
    expect(error?.kind).toBe("transient");
    expect(error?.message).toContain("malformed JSON stream event");
  });

  it("stops reading at the finishing chunk and falls back to the requested model name", async () => {
    const done = JSON.stringify({
      candidates: [{ content: { parts: [{ text: "ok" }] }, finishReason: "STOP" }],
    });
    const { parts, error } = await run(events(done, "this is never read"));
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      { type: "response-metadata", id: "", model: "gemini-x" },
      { type: "text-delta", text: "ok" },
      { type: "finish", finishReason: "stop", rawFinishReason: "STOP" },
    ]);
  });

  it("maps a content filter finish without output to metadata then finish", async () => {
    const blocked = JSON.stringify({ candidates: [{ finishReason: "SAFETY" }] });
    const { parts } = await run(events(blocked));
    expect(parts.map((part) => part.type)).toEqual(["response-metadata", "finish"]);
    expect(parts.at(-1)).toMatchObject({ finishReason: "content_filter" });
  });
});
