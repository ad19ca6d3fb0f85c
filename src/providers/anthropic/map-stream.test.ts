import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { parseSse, type SseEvent } from "../shared/parse-sse.js";
import { mapStream } from "./map-stream.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

const options = { provider: "claude", now: () => Date.UTC(2026, 7, 31, 0, 0) };

/** Runs the mapper over SSE text; returns the parts yielded and the error thrown, if any. */
async function run(sse: string): Promise<{ parts: ChatStreamPart[]; error: unknown }> {
  const parts: ChatStreamPart[] = [];
  try {
    for await (const part of mapStream(parseSse(bytes(sse)), options)) parts.push(part);
    return { parts, error: undefined };
  } catch (error) {
    return { parts, error };
  }
}

async function* events(list: SseEvent[]): AsyncGenerator<SseEvent> {
  yield* list;
}
const event = (data: unknown): SseEvent => ({
  event: undefined,
  data: JSON.stringify(data),
  id: undefined,
});

describe("mapStream", () => {
  it("maps a text stream, with metadata right before the first output", async () => {
    const { parts, error } = await run(fixture("stream-text.sse"));
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      {
        type: "response-metadata",
        id: "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY",
        model: "claude-sonnet-4-5-20250929",
      },
      { type: "text-delta", text: "Hello" },
      { type: "text-delta", text: "!" },
      {
        type: "usage",
        usage: { inputTokens: 25, outputTokens: 15, cachedInputTokens: 0, totalTokens: 40 },
      },
      { type: "finish", finishReason: "stop", rawFinishReason: "end_turn" },
    ]);
  });

  it("maps a tool call: first delta with id and name, then its JSON in pieces", async () => {
    const { parts, error } = await run(fixture("stream-tool-use.sse"));
    expect(error).toBeUndefined();
    const toolParts = parts.filter((part) => part.type === "tool-call-delta");
    expect(toolParts[0]).toEqual({
      type: "tool-call-delta",
      index: 0,
      id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
      name: "get_weather",
      argumentsDelta: "",
    });
    expect(toolParts.every((part) => part.index === 0)).toBe(true);
    const json = toolParts.map((part) => part.argumentsDelta).join("");
    expect(JSON.parse(json)).toEqual({ location: "San Francisco, CA", unit: "fahrenheit" });
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: "tool_calls",
      rawFinishReason: "tool_use",
    });
    expect(parts.filter((part) => part.type === "text-delta").map((part) => part.text)).toEqual([
      "Okay",
      ", let's check the weather for San Francisco, CA:",
    ]);
  });

  it("numbers tool calls among tool calls, skips thinking, and reads cumulative usage", async () => {
    const { parts, error } = await run(fixture("stream-thinking-parallel-tools.sse"));
    expect(error).toBeUndefined();
    expect(parts[0]).toEqual({
      type: "response-metadata",
      id: "msg_01ParallelToolsThinking9x",
      model: "claude-sonnet-4-5-20250929",
    });
    expect(parts.filter((part) => part.type === "response-metadata")).toHaveLength(1);
    expect(parts.some((part) => part.type === "text-delta")).toBe(false);
    const byIndex = new Map<number, string>();
    for (const part of parts) {
      if (part.type !== "tool-call-delta") continue;
      byIndex.set(part.index, (byIndex.get(part.index) ?? "") + part.argumentsDelta);
    }
    // Content blocks 1 and 2 are tool calls 0 and 1; the call without arguments reads as {}.
    expect([...byIndex.entries()]).toEqual([
      [0, '{"location": "Paris"}'],
      [1, "{}"],
    ]);
    expect(parts).toContainEqual({
      type: "usage",
      usage: { inputTokens: 1512, outputTokens: 141, cachedInputTokens: 1500, totalTokens: 1653 },
    });
  });

  it("throws an error event before any output, yielding nothing (failover stays possible)", async () => {
    const { parts, error } = await run(fixture("stream-error-before-output.sse"));
    expect(parts).toEqual([]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      kind: "transient",
      provider: "claude",
      vendorCode: "overloaded_error",
    });
    expect((error as Error).message).toContain("Overloaded");
  });

  it("throws an error event after output, classified from its type", async () => {
    const { parts, error } = await run(fixture("stream-error-mid-output.sse"));
    expect(parts.map((part) => part.type)).toEqual(["response-metadata", "text-delta"]);
    expect(error).toMatchObject({ kind: "rate_limited", vendorCode: "rate_limit_error" });
  });

  it("throws transient when the stream ends without message_stop", async () => {
    const { parts, error } = await run(fixture("stream-truncated.sse"));
    expect(parts.map((part) => part.type)).toEqual(["response-metadata", "text-delta"]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "transient" });
    expect((error as Error).message).toContain("without message_stop after 5 event(s)");
    expect((await run("")).error).toMatchObject({ kind: "transient" });
  });

  it("throws transient on malformed event JSON", async () => {
    const { error } = await run(`event: message_start\ndata: {"type": "message_st\n\n`);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "transient", provider: "claude" });
  });

  it("classifies error events by type, and a spend limit with its regain time", async () => {
    const kinds: Record<string, string> = {
      overloaded_error: "transient",
      api_error: "transient",
      rate_limit_error: "rate_limited",
      authentication_error: "auth",
      invalid_request_error: "invalid_request",
      some_future_error: "unknown",
    };
    for (const [type, kind] of Object.entries(kinds)) {
      const stream = mapStream(
        events([event({ type: "error", error: { type, message: "x" } })]),
        options,
      );
      await expect(stream.next()).rejects.toMatchObject({ kind, vendorCode: type });
    }
    const spend = event({
      type: "error",
      error: {
        type: "rate_limit_error",
        message: "You will regain access on 2026-09-01 at 00:00 UTC.",
        details: { error_code: "enforced_spend_limit_reached" },
      },
    });
    await expect(mapStream(events([spend]), options).next()).rejects.toMatchObject({
      kind: "quota_exhausted",
      retryAfterMs: 24 * 3_600_000,
      vendorCode: "enforced_spend_limit_reached",
    });
  });

  it("yields metadata before usage when a message has no content at all", async () => {
    const list = [
      event({
        type: "message_start",
        message: { id: "msg_e", model: "m", usage: { input_tokens: 3 } },
      }),
      event({
        type: "message_delta",
        delta: { stop_reason: "refusal" },
        usage: { output_tokens: 0 },
      }),
      event({ type: "message_stop" }),
    ];
    const parts: ChatStreamPart[] = [];
    for await (const part of mapStream(events(list), options)) parts.push(part);
    expect(parts).toEqual([
      { type: "response-metadata", id: "msg_e", model: "m" },
      {
        type: "usage",
        usage: { inputTokens: 3, outputTokens: 0, cachedInputTokens: 0, totalTokens: 3 },
      },
      { type: "finish", finishReason: "content_filter", rawFinishReason: "refusal" },
    ]);
  });

  it("stops reading at message_stop", async () => {
    let pulled = 0;
    async function* counted(): AsyncGenerator<SseEvent> {
      for (const item of [event({ type: "message_stop" }), event({ type: "ping" })]) {
        pulled += 1;
        yield item;
      }
    }
    const parts: ChatStreamPart[] = [];
    for await (const part of mapStream(counted(), options)) parts.push(part);
    expect(pulled).toBe(1);
    expect(parts.at(-1)?.type).toBe("finish");
  });

  it("passes any text through in order, metadata exactly once and first (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string(), { maxLength: 12 }), async (pieces) => {
        const list = [
          event({ type: "message_start", message: { id: "msg_p", model: "m", usage: {} } }),
          event({
            type: "content_block_start",
            index: 0,
            content_block: { type: "text", text: "" },
          }),
          ...pieces.map((text) =>
            event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }),
          ),
          event({ type: "content_block_stop", index: 0 }),
          event({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: {} }),
          event({ type: "message_stop" }),
        ];
        const parts: ChatStreamPart[] = [];
        for await (const part of mapStream(events(list), options)) parts.push(part);
        expect(parts[0]?.type).toBe("response-metadata");
        expect(parts.filter((part) => part.type === "response-metadata")).toHaveLength(1);
        const text = parts.map((part) => (part.type === "text-delta" ? part.text : "")).join("");
        expect(text).toBe(pieces.join(""));
        expect(parts.at(-1)?.type).toBe("finish");
      }),
    );
  });
});
