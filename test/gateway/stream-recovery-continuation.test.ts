/**
 * Stream recovery (`streamRecovery: { mode: continue }`): what the continuing target is sent (a
 * prefill, or the partial answer and an instruction), how usage is summed, and that structured
 * output is not continued.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MockRecordedRequest } from "../../src/testing/index.js";
import { HELLO } from "./chat-outcome.js";
import { callCounts, harnessPool, primaryAndFallback, upstreamCalls } from "./harness.js";
import {
  CONTINUE,
  continuing,
  FULL,
  messagesOf,
  messageText,
  streamThrough,
} from "./stream-recovery-harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

describe("the continuation request", () => {
  it("a prefill target gets the partial answer without its trailing whitespace", async () => {
    const h = await pool.start(primaryAndFallback({ model: CONTINUE }));
    // The client has "The quick brown " (16 characters, a space last) when the stream is cut.
    h.mocks.primary.enqueue({ fault: "cut", afterChunks: 2, reply: { text: FULL }, chunkSize: 8 });
    h.mocks.fallback.enqueue(continuing(0));
    const seen = await streamThrough(h, "openai");
    expect(seen.text).toBe(FULL);
    const sent = upstreamCalls(h.mocks.fallback)[0] as MockRecordedRequest;
    const messages = messagesOf(sent);
    const last = messages[messages.length - 1] as { role: string };
    expect(last.role).toBe("assistant");
    const prefill = messageText(last);
    expect(prefill).toBe("The quick brown");
    expect(prefill).not.toMatch(/\s$/);
  });

  it("a target without prefill gets the partial answer and an instruction to continue", async () => {
    const h = await pool.start(
      primaryAndFallback({
        model: CONTINUE,
        primary: { type: "anthropic" },
        fallback: { type: "openai" },
      }),
    );
    h.mocks.primary.enqueue({ fault: "cut", afterChunks: 5, reply: { text: FULL } });
    h.mocks.fallback.enqueue(continuing(2));
    const seen = await streamThrough(h, "anthropic");
    expect(seen).toMatchObject({ text: FULL, completed: true });
    const messages = messagesOf(upstreamCalls(h.mocks.fallback)[0] as MockRecordedRequest);
    const [assistant, instruction] = messages.slice(-2) as { role: string }[];
    expect(assistant?.role).toBe("assistant");
    expect(instruction?.role).toBe("user");
    expect(messageText(instruction)).toMatch(/Continue it exactly where it stops/);
  });

  it("usage is summed: the cut attempt estimated, the continuation as reported", async () => {
    const h = await pool.start(primaryAndFallback({ model: CONTINUE }));
    h.mocks.primary.enqueue({ fault: "cut", afterChunks: 6, reply: { text: FULL } });
    h.mocks.fallback.enqueue(continuing(0));
    const stream = await h.openai().chat.completions.create({
      ...HELLO,
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe("stop");
    // The fallback reported 100 in / 7 out; the cut attempt's share is estimated from its text.
    expect(usage?.prompt_tokens).toBeGreaterThan(100);
    expect(usage?.completion_tokens).toBeGreaterThan(7);
  });

  it("structured output is not continued", async () => {
    const h = await pool.start(primaryAndFallback({ model: CONTINUE }));
    h.mocks.primary.enqueue({ fault: "cut", afterChunks: 2, reply: { text: '{"a": "b c d"}' } });
    let error: unknown;
    try {
      const stream = await h.openai().chat.completions.create({
        ...HELLO,
        stream: true,
        response_format: { type: "json_object" },
      });
      for await (const _chunk of stream) {
        // read to the end
      }
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeDefined();
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
  });
});
