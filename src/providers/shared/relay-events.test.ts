import { describe, expect, it } from "vitest";
import { collect } from "../../../test/support/collect.js";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { ChatChunkReader } from "../openai/map-stream.js";
import { parseSse, type SseEvent } from "./parse-sse.js";
import { relayEvents } from "./relay-events.js";

async function* from(data: string[]): AsyncGenerator<SseEvent> {
  for (const item of data) yield { event: undefined, data: item, id: undefined };
}

const reader = () => new ChatChunkReader({ provider: "p", relay: true });

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ id: "c1", model: "m", choices: [{ index: 0, delta, finish_reason: finish }] });

const relayedData = (parts: ChatStreamPart[]) =>
  parts.flatMap((part) =>
    part.type === "wire-events" ? part.events.map((event) => event.data) : [],
  );

/** The events of one network read each, as `parseSse` hands them out. */
function reads(...packets: string[][]): AsyncIterable<SseEvent> {
  const body = (async function* () {
    for (const packet of packets) {
      yield Buffer.from(packet.map((data) => `data: ${data}\n\n`).join(""));
    }
  })();
  return parseSse(body);
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
    const parts = await collect(relayEvents(async () => from(data), reader()));
    expect(parts[0]).toMatchObject({
      type: "wire-events",
      events: [{ data: data[0] }, { data: data[1] }],
    });
    expect(relayedData(parts)).toEqual(data);
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
      for await (const part of relayEvents(async () => from(data), reader())) relayed.push(part);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(relayed).toEqual([]);
  });

  it("an end without the protocol's terminal event fails after what was relayed", async () => {
    const data = [chunk({ content: "Hi" })];
    const relayed: ChatStreamPart[] = [];
    const failure = await (async () => {
      for await (const part of relayEvents(async () => from(data), reader())) relayed.push(part);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(relayed).toMatchObject([{ type: "wire-events", events: [{ data: data[0] }] }]);
  });

  it("an answer without output (a refusal) relays its events only after its finish", async () => {
    const data = [chunk({ role: "assistant", content: "" }), chunk({}, "content_filter"), "[DONE]"];
    const parts = await collect(relayEvents(async () => from(data), reader()));
    expect(parts.map((part) => part.type)).toEqual(["finish", "wire-events"]);
    expect(relayedData(parts)).toEqual(data);
    expect(parts[0]).toMatchObject({ finishReason: "content_filter" });
  });

  it("relays the events of one network read in one part, before the stream waits for the next read", async () => {
    const first = [chunk({ role: "assistant" }), chunk({ content: "a" }), chunk({ content: "b" })];
    const second = [chunk({ content: "c" }), chunk({}, "stop")];
    const parts = await collect(
      relayEvents(async () => reads(first, second, ["[DONE]"]), reader()),
    );
    const batches = parts.flatMap((part) =>
      part.type === "wire-events" ? [part.events.map((event) => event.data)] : [],
    );
    // Each read goes out when the reader asks for an event the network has yet to bring: the stop
    // chunk, which yields no part, is not held while [DONE] is awaited.
    expect(batches).toEqual([first, second, ["[DONE]"]]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
  });

  it("a failure in the middle of a read relays the events read before it, not the failing one", async () => {
    const error = JSON.stringify({ error: { message: "overloaded", type: "server_error" } });
    const packet = [
      chunk({ role: "assistant" }),
      chunk({ content: "a" }),
      chunk({ content: "b" }),
      error,
    ];
    const relayed: ChatStreamPart[] = [];
    const failure = await (async () => {
      for await (const part of relayEvents(async () => reads(packet), reader())) relayed.push(part);
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(relayedData(relayed)).toEqual(packet.slice(0, 3));
  });

  it("splits a long backlog into parts of at most 64 events", async () => {
    const deltas = Array.from({ length: 100 }, (_, index) => chunk({ content: `w${index}` }));
    const parts = await collect(relayEvents(async () => reads([...deltas, "[DONE]"]), reader()));
    const sizes = parts.flatMap((part) =>
      part.type === "wire-events" ? [part.events.length] : [],
    );
    expect(sizes).toEqual([64, 37]);
  });

  it("closes the upstream's events however the relay stops: at the end event, or when the consumer leaves", async () => {
    const closed: string[] = [];
    const source = (name: string, data: string[]): AsyncIterable<SseEvent> => ({
      [Symbol.asyncIterator]() {
        const inner = from(data);
        return {
          next: () => inner.next(),
          return: async () => {
            closed.push(name);
            return { done: true, value: undefined };
          },
        };
      },
    });
    const data = [chunk({ content: "a" }), chunk({ content: "b" }), "[DONE]", "trailing"];
    await collect(relayEvents(async () => source("ended", data), reader()));
    for await (const _part of relayEvents(async () => source("left", data), reader())) break;
    expect(closed).toEqual(["ended", "left"]);
  });

  it("a request that cannot be sent fails at the first part, before anything is relayed", async () => {
    const refused = new ProviderError("connection refused", { kind: "transient", provider: "p" });
    const relay = relayEvents(() => Promise.reject(refused), reader());
    await expect(relay.next()).rejects.toBe(refused);
  });
});
