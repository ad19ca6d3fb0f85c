/**
 * Stream recovery (`streamRecovery: { mode: continue }`): a stream that breaks after its first byte
 * is continued by the next target in the same client stream, in every client protocol, through the
 * official SDKs. The client's text is the whole answer, with no repeated seam and no second start
 * event; what cannot be continued (a tool call) fails as before.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { HELLO_ANTHROPIC } from "./chat-outcome.js";
import { callCounts, harnessPool, primaryAndFallback } from "./harness.js";
import {
  CLIENTS,
  type Client,
  CONTINUE,
  continuing,
  END_EVENT,
  FULL,
  rawStream,
  START_EVENT,
  streamThrough,
  WORDS,
} from "./stream-recovery-harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

describe.each<[Client]>(CLIENTS.map((client) => [client]))("%s SDK", (client) => {
  it("a cut after N chunks at random points is continued seamlessly (property)", async () => {
    const h = await pool.start(primaryAndFallback({ model: CONTINUE }));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: WORDS - 2 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom<"cut" | "error-event">("cut", "error-event"),
        async (afterChunks, overlap, fault) => {
          h.mocks.primary.reset();
          h.mocks.fallback.reset();
          h.responses.length = 0;
          h.mocks.primary.enqueue(
            fault === "cut"
              ? { fault: "cut", afterChunks, reply: { text: FULL } }
              : { fault: "error-event", afterChunks, kind: "overloaded", reply: { text: FULL } },
          );
          h.mocks.fallback.enqueue(continuing(overlap));
          const seen = await streamThrough(h, client);
          expect(seen.error).toBeUndefined();
          expect(seen.completed).toBe(true);
          expect(seen.text).toBe(FULL);
          expect(callCounts(h)).toEqual({ primary: 1, fallback: 1 });
          const raw = await rawStream(h);
          expect(raw.match(START_EVENT[client])).toHaveLength(1);
          expect(raw.match(END_EVENT[client])).toHaveLength(1);
          expect(raw).toMatch(
            /\n: switchyard continued on fallback\/claude-sonnet-4-5 after \d+ chars\n\n/,
          );
        },
      ),
      { numRuns: 8 },
    );
  });

  it("a stall beyond the idle timeout is continued", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: CONTINUE, primary: { idleTimeoutMs: 200 } }),
    );
    h.mocks.primary.enqueue({ fault: "stall", afterChunks: 4, reply: { text: FULL } });
    h.mocks.fallback.enqueue(continuing(0));
    const startedAt = performance.now();
    const seen = await streamThrough(h, client);
    // Ended by the 200 ms idle timeout, not by the stall (which would last as long as the test).
    expect(performance.now() - startedAt).toBeLessThan(2500);
    expect(seen).toMatchObject({ text: FULL, completed: true, error: undefined });
  });

  it("a cut inside a tool call is not continued: the stream fails as before", async () => {
    const h = await pool.start(primaryAndFallback({ model: CONTINUE }));
    h.mocks.primary.enqueue({
      fault: "cut",
      afterChunks: 2,
      reply: { toolCalls: [{ name: "lookup", arguments: { city: "Paris", days: 3 } }] },
      chunks: 4,
    });
    const seen = await streamThrough(h, client);
    expect(seen.completed).toBe(false);
    expect(seen.error).toBeDefined();
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
  });
});

describe("a relayed Messages stream with thinking", () => {
  it("goes on in the open text block after the thinking block", async () => {
    const h = await pool.start(
      primaryAndFallback({
        model: CONTINUE,
        primary: { type: "anthropic" },
        fallback: { type: "openai" },
      }),
    );
    h.mocks.primary.enqueue({
      fault: "cut",
      afterChunks: 6,
      reply: { text: FULL, thinking: { text: "Let me think.", signature: "sig-1" } },
    });
    h.mocks.fallback.enqueue(continuing(0));
    const message = await h.anthropic().messages.stream(HELLO_ANTHROPIC).finalMessage();
    // Both paths carry the thinking block: relayed as it came, or translated with its signature.
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text"]);
    const text = message.content.find((block) => block.type === "text");
    expect(text?.type === "text" ? text.text : "").toBe(FULL);
    const raw = await rawStream(h);
    expect(raw.match(/event: content_block_start/g)).toHaveLength(2);
  });
});
