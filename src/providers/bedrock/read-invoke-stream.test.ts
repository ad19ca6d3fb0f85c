import { describe, expect, it } from "vitest";
import { collect } from "../../../test/support/collect.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { rejection } from "../shared/rejection.test-helper.js";
import { readStreamParts } from "../shared/stream-reader.js";
import type { EventStreamMessage } from "./decode-event-stream.js";
import { InvokeStreamReader, invokeStreamEvents } from "./read-invoke-stream.js";

const provider = "bedrock-us";
const chunk = (event: Record<string, unknown>): EventStreamMessage => ({
  headers: { ":event-type": "chunk", ":message-type": "event" },
  body: JSON.stringify({ bytes: Buffer.from(JSON.stringify(event)).toString("base64") }),
});
async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

const START = { type: "message_start", message: { id: "msg_bdrk_1", model: "claude" } };
const TEXT = { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } };

describe("invokeStreamEvents", () => {
  it("turns chunks into Anthropic events named by type, their data the decoded bytes unchanged", async () => {
    const events = await collect(invokeStreamEvents(from([chunk(START), chunk(TEXT)]), provider));
    expect(events).toEqual([
      { event: "message_start", data: JSON.stringify(START), id: undefined },
      { event: "content_block_delta", data: JSON.stringify(TEXT), id: undefined },
    ]);
  });

  it("throws an exception message classified, and a chunk without bytes as transient", async () => {
    const exception: EventStreamMessage = {
      headers: { ":message-type": "exception", ":exception-type": "throttlingException" },
      body: JSON.stringify({ message: "Too many requests" }),
    };
    const throttled = await rejection(
      collect(invokeStreamEvents(from([chunk(START), exception]), provider)),
    );
    expect(throttled).toMatchObject({ kind: "rate_limited", vendorCode: "ThrottlingException" });
    const empty = { headers: { ":event-type": "chunk", ":message-type": "event" }, body: "{}" };
    const broken = await rejection(collect(invokeStreamEvents(from([empty]), provider)));
    expect(broken).toMatchObject({ kind: "transient" });
    expect(broken.message).toContain("without bytes");
  });
});

describe("InvokeStreamReader", () => {
  it("takes usage from Bedrock's invocation metrics when the events carry none", async () => {
    const stop = {
      type: "message_stop",
      "amazon-bedrock-invocationMetrics": {
        inputTokenCount: 10,
        outputTokenCount: 4,
        cacheReadInputTokenCount: 30,
        cacheWriteInputTokenCount: 5,
      },
    };
    const events = [
      { type: "message_start", message: { id: "m", model: "c" } },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      TEXT,
      { type: "message_delta", delta: { stop_reason: "end_turn" } },
      stop,
    ].map((event) => ({ event: event.type, data: JSON.stringify(event), id: undefined }));
    const parts: ChatStreamPart[] = await collect(
      readStreamParts(from(events), new InvokeStreamReader({ provider, now: Date.now })),
    );
    expect(parts.slice(-2)).toEqual([
      {
        type: "usage",
        usage: {
          inputTokens: 45,
          outputTokens: 4,
          cachedInputTokens: 30,
          cacheWriteTokens: 5,
          totalTokens: 49,
        },
      },
      { type: "finish", finishReason: "stop", rawFinishReason: "end_turn" },
    ]);
  });
});
