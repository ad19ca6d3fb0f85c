import { describe, expect, it } from "vitest";
import { rejection } from "../shared/rejection.test-helper.js";
import { decodeEventStream } from "./decode-event-stream.js";
import { bedrockEventFrame } from "./mock/bedrock-mock-frames.js";

const EVENT = { ":event-type": "contentBlockDelta", ":message-type": "event" };

/** The frames' bytes in `size`-byte chunks; `closed` says whether the reader ended the iteration. */
function chunked(frames: string[], size: number) {
  const bytes = Buffer.from(frames.join(""), "latin1");
  const state = { closed: false, sent: 0 };
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      return {
        async next() {
          if (state.sent >= bytes.length) return { done: true, value: undefined };
          const chunk = bytes.subarray(state.sent, state.sent + size);
          state.sent += chunk.length;
          return { done: false, value: chunk };
        },
        async return() {
          state.closed = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { body, state, total: bytes.length };
}

async function collect(body: AsyncIterable<Uint8Array>, maxBytes: number) {
  const bodies: string[] = [];
  for await (const message of decodeEventStream(body, { provider: "bedrock", maxBytes })) {
    bodies.push(message.body);
  }
  return bodies;
}

describe("decodeEventStream within maxResponseBytes", () => {
  it("decodes messages cut across chunks, one exactly at the limit included", async () => {
    const big = bedrockEventFrame(EVENT, "y".repeat(900));
    const { body } = chunked([bedrockEventFrame(EVENT, "first"), big], 7);
    expect(await collect(body, big.length)).toEqual(["first", "y".repeat(900)]);
  });

  it("refuses a message past the limit at its length prefix, before buffering it, and stops reading", async () => {
    const big = bedrockEventFrame(EVENT, "y".repeat(5000));
    const { body, state, total } = chunked([bedrockEventFrame(EVENT, "first"), big], 64);
    const error = await rejection(collect(body, 1000));
    expect(error).toMatchObject({
      kind: "transient",
      provider: "bedrock",
      vendorCode: "response_too_large",
    });
    expect(error.message).toBe(
      "bedrock: stream event is larger than maxResponseBytes (1000 bytes)",
    );
    expect(state.closed).toBe(true);
    expect(state.sent).toBeLessThan(total - 4000);
  });
});
