/**
 * Failures after the commit point: once the first chunk reached the client, a broken upstream
 * stream must end the client's stream with an error (the SDK throws), never a clean close, and no
 * fallback is tried. And a client that goes away must take the upstream request with it.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { MockBehaviour } from "../../src/testing/index.js";
import {
  anthropicChat,
  type ChatOutcome,
  HELLO,
  openAIChat,
  openAIResponses,
} from "./chat-outcome.js";
import {
  callCounts,
  type Harness,
  harnessPool,
  primaryAndFallback,
  upstreamCalls,
} from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const PRIMARY_TEXT = "one two three four five six seven eight";
const REPLY = { text: PRIMARY_TEXT };

interface CommittedFault {
  name: string;
  behaviour: MockBehaviour;
}

const FAULTS: CommittedFault[] = [
  { name: "cut after the first chunk", behaviour: { fault: "cut", afterChunks: 1, reply: REPLY } },
  {
    name: "stall after the first chunk, beyond idleTimeoutMs",
    behaviour: { fault: "stall", afterChunks: 1, reply: REPLY },
  },
  {
    name: "malformed JSON after the first chunk",
    behaviour: { fault: "malformed-json", afterChunks: 1, reply: REPLY },
  },
  {
    name: "an in-stream error event after the first chunk",
    behaviour: { fault: "error-event", afterChunks: 1, kind: "overloaded", reply: REPLY },
  },
  {
    name: "the stream ends without its terminal events",
    behaviour: { fault: "no-terminal", afterChunks: 2, reply: REPLY },
  },
];

type Client = "openai" | "anthropic" | "openai responses";

function run(h: Harness<"primary" | "fallback">, client: Client): Promise<ChatOutcome> {
  if (client === "openai responses") return openAIResponses(h.openai(), { stream: true });
  return client === "openai"
    ? openAIChat(h.openai(), { stream: true })
    : anthropicChat(h.anthropic(), { stream: true });
}

/** The failure as the client saw it: an SDK error, or the Responses API's `error` event. */
function failureMessage(client: Client, error: unknown): string {
  if (client === "openai responses") {
    expect(error).toMatchObject({ type: "error" });
    return String((error as { message: unknown }).message);
  }
  expect(error).toBeInstanceOf(client === "openai" ? OpenAI.APIError : Anthropic.APIError);
  return (error as Error).message;
}

describe.each<[Client]>([["openai"], ["anthropic"], ["openai responses"]])(
  "%s SDK stream",
  (client) => {
    it.each(FAULTS)("$name: the SDK throws, nothing is retried", async ({ behaviour }) => {
      const h = await pool.start(primaryAndFallback({ primary: { idleTimeoutMs: 200 } }));
      h.mocks.primary.enqueue(behaviour);
      const startedAt = performance.now();
      const outcome = await run(h, client);
      expect(performance.now() - startedAt).toBeLessThan(1500);

      expect(outcome.completed).toBe(false);
      // The gateway's in-stream error event, which the SDK raises as an APIError (or yields, for
      // the Responses API, as an `error` event before `response.failed`).
      expect(failureMessage(client, outcome.error)).toMatch(/interrupted after \d+ chunk/);
      expect(outcome.headers?.get("x-switchyard-provider")).toBe("primary");
      expect(outcome.chunks).toBeGreaterThanOrEqual(1);
      expect(outcome.text.length).toBeGreaterThan(0);
      expect(PRIMARY_TEXT.startsWith(outcome.text)).toBe(true);
      expect(outcome.text).not.toBe(PRIMARY_TEXT);
      // Committed: the fallback is not asked, and the SDK did not replay the call.
      expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
      expect(upstreamCalls(h.mocks.primary)[0]?.body).toMatchObject({ stream: true });
      const ended = h.logger.entries.filter((entry) => entry.message === "stream ended");
      expect(ended).toHaveLength(1);
    });
  },
);

describe("client disconnect", () => {
  const SLOW_STREAM: MockBehaviour = {
    reply: { text: "a b c d e f g h i j k l m n o p q r s t" },
    chunkDelayMs: 100,
  };

  it("aborting an OpenAI stream mid-way closes the upstream request", async () => {
    const h = await pool.start(primaryAndFallback());
    h.mocks.primary.enqueue(SLOW_STREAM);
    const controller = new AbortController();
    const abortedAt: number[] = [];
    const outcome = await openAIChat(h.openai(), {
      stream: true,
      signal: controller.signal,
      onChunk: () => {
        if (abortedAt.length > 0) return;
        abortedAt.push(performance.now());
        controller.abort();
      },
    });
    // The SDK ends an aborted stream's iteration quietly; no chunk came after the abort.
    expect(outcome.chunks).toBe(1);
    await expect.poll(() => h.mocks.primary.stats.inFlight === 0, { timeout: 1000 }).toBe(true);
    // The stream had about two seconds left to run: it was cut, not waited out.
    expect(performance.now() - (abortedAt[0] ?? 0)).toBeLessThan(1000);
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
    await expect
      .poll(() =>
        h.logger.entries.some((entry) => entry.message === "client closed the connection"),
      )
      .toBe(true);
  });

  it("aborting an Anthropic messages.stream() mid-way closes the upstream request", async () => {
    const h = await pool.start(primaryAndFallback());
    h.mocks.primary.enqueue(SLOW_STREAM);
    const stream = h.anthropic().messages.stream({
      model: "smart",
      max_tokens: 64,
      messages: [{ role: "user", content: "Count" }],
    });
    let deltas = 0;
    stream.on("text", () => {
      deltas++;
      if (deltas === 1) stream.abort();
    });
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(deltas).toBe(1);
    await expect.poll(() => h.mocks.primary.stats.inFlight === 0, { timeout: 1000 }).toBe(true);
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
  });

  it("aborting a plain call while the upstream thinks closes the upstream request", async () => {
    const h = await pool.start(primaryAndFallback());
    h.mocks.primary.enqueue({ reply: REPLY, headersDelayMs: 3000 });
    const controller = new AbortController();
    const pending = h.openai().chat.completions.create(HELLO, { signal: controller.signal });
    await expect.poll(() => upstreamCalls(h.mocks.primary).length === 1).toBe(true);
    expect(h.mocks.primary.stats.inFlight).toBe(1);
    const abortedAt = performance.now();
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => h.mocks.primary.stats.inFlight === 0, { timeout: 1000 }).toBe(true);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    // Cancelled by the caller: no failover.
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
  });

  it("a cancelled call does not count against the provider", async () => {
    const h = await pool.start(
      primaryAndFallback({
        model: { failureThreshold: 1 },
        server: { adminKey: "admin-key-disconnect-test" },
      }),
    );
    h.mocks.primary.enqueue({ reply: REPLY, headersDelayMs: 3000 });
    const controller = new AbortController();
    const pending = h.openai().chat.completions.create(HELLO, { signal: controller.signal });
    await expect.poll(() => upstreamCalls(h.mocks.primary).length === 1).toBe(true);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => h.mocks.primary.stats.inFlight === 0, { timeout: 1000 }).toBe(true);
    const next = await openAIChat(h.openai(), { stream: false });
    expect(next.headers?.get("x-switchyard-provider")).toBe("primary");
    expect(next.headers?.get("x-switchyard-attempts")).toBe("1");
  });
});
