import { describe, expect, it } from "vitest";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { mapStream } from "../openai/map-stream.js";
import type { SseEvent } from "./parse-sse.js";
import { relayEvents } from "./wire-pass-through.js";

async function* from(data: string[]): AsyncGenerator<SseEvent> {
  for (const item of data) yield { event: undefined, data: item, id: undefined };
}

const read = (events: AsyncIterable<SseEvent>) => mapStream(events, { provider: "p" });

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ id: "c1", model: "m", choices: [{ index: 0, delta, finish_reason: finish }] });

async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const out: ChatStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe("relayEvents", () => {
  it("holds events until the first output, then relays every event as sent, with usage and finish for accounting", async () => {
    const usage = JSON.stringify({
      id: "c1",
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    const data = [
      chunk({ role: "assistant" }),
      chunk({ content: "Hi" }),
      chunk({}, "stop"),
      usage,
      "[DONE]",
    ];
    const parts = await collect(relayEvents(from(data), read));
    expect(parts[0]).toEqual({ type: "wire-event", event: undefined, data: data[0] });
    expect(parts.filter((part) => part.type === "wire-event").map((part) => part.data)).toEqual(
      data,
    );
    expect(parts.find((part) => part.type === "usage")).toMatchObject({
      usage: { inputTokens: 3 },
    });
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
  });

  it("an error before the first output is thrown with nothing relayed, so the call can fail over", async () => {
    const data = [
      chunk({ role: "assistant" }),
      JSON.stringify({ error: { message: "overloaded", type: "server_error" } }),
    ];
    const relayed: ChatStreamPart[] = [];
    const failure = await (async () => {
      for await (const part of relayEvents(from(data), read)) relayed.push(part);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(relayed).toEqual([]);
  });

  it("an end without the protocol's terminal event fails after what was relayed", async () => {
    const data = [chunk({ content: "Hi" })];
    const relayed: ChatStreamPart[] = [];
    const failure = await (async () => {
      for await (const part of relayEvents(from(data), read)) relayed.push(part);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(relayed).toEqual([{ type: "wire-event", event: undefined, data: data[0] }]);
  });

  it("an answer without output (a refusal) relays its events only after its finish", async () => {
    const data = [chunk({ role: "assistant", content: "" }), chunk({}, "content_filter"), "[DONE]"];
    const parts = await collect(relayEvents(from(data), read));
    expect(parts.map((part) => part.type)).toEqual([
      "finish",
      "wire-event",
      "wire-event",
      "wire-event",
    ]);
    expect(parts[0]).toMatchObject({ finishReason: "content_filter" });
  });
});
