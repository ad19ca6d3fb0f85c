/**
 * Stream recovery (`streamRecovery: { mode: continue }`): a stream that breaks after its first byte
 * is continued by the next target in the same client stream, in every client protocol, through the
 * official SDKs. The client's text is the whole answer, with no repeated seam and no second start
 * event; what cannot be continued (a tool call, structured output) fails as before.
 */
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MIN_OVERLAP_CHARS } from "../../src/gateway/continuation/seam-joiner.js";
import type { MockBehaviour, MockRecordedRequest } from "../../src/testing/index.js";
import { HELLO, HELLO_ANTHROPIC } from "./chat-outcome.js";
import {
  callCounts,
  type Harness,
  harnessPool,
  primaryAndFallback,
  TRANSLATED,
  upstreamCalls,
} from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const FULL =
  "The quick brown fox jumps over the lazy dog, and then it runs far away into the quiet green hills.";
const WORDS = FULL.split(" ").length;
const CONTINUE = { streamRecovery: { mode: "continue" }, failureThreshold: 1000 };

type Client = "openai" | "anthropic" | "openai responses";
const CLIENTS: Client[] = ["openai", "anthropic", "openai responses"];

/** The text of the last message of an upstream request, in any vendor's shape. */
function messageText(message: unknown): string {
  const content = (message as { content?: unknown }).content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => String((part as { text?: unknown }).text ?? "")).join("");
  }
  return "";
}

function messagesOf(request: MockRecordedRequest): unknown[] {
  const body = request.body as { messages?: unknown[] };
  return body.messages ?? [];
}

/**
 * The continuing target: it reads the partial answer from the request (a prefill, or the assistant
 * turn before the instruction) and answers with the rest of `FULL`, repeating the last `overlap`
 * words of the partial answer first, as a model told to continue sometimes does.
 */
function continuing(overlap: number, extra: Partial<MockBehaviour> = {}) {
  return (request: MockRecordedRequest): MockBehaviour => {
    const messages = messagesOf(request);
    const last = messages[messages.length - 1] as { role?: string };
    const partial = messageText(
      last.role === "assistant" ? last : messages[messages.length - 2],
    ).trimEnd();
    const words = partial.split(" ");
    // The repetition is whole words, at least the joiner's minimum (shorter ones are kept).
    let count = Math.min(overlap, words.length - 1);
    while (
      count > 0 &&
      count < words.length - 1 &&
      words.slice(-count).join(" ").length + 1 < MIN_OVERLAP_CHARS
    ) {
      count += 1;
    }
    const repeated = count > 0 ? ` ${words.slice(-count).join(" ")}` : "";
    const rest = FULL.slice(partial.length);
    const text = repeated.length >= MIN_OVERLAP_CHARS ? `${repeated}${rest}` : rest;
    return { reply: { text, usage: { inputTokens: 100, outputTokens: 7 } }, ...extra };
  };
}

interface Seen {
  text: string;
  error: unknown;
  completed: boolean;
}

/** One streamed call through the client's SDK: the text it assembled, and whether it completed. */
async function streamThrough(h: Harness<"primary" | "fallback">, client: Client): Promise<Seen> {
  const seen: Seen = { text: "", error: undefined, completed: false };
  try {
    if (client === "openai") {
      const stream = await h.openai().chat.completions.create({
        ...HELLO,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) seen.text += chunk.choices[0]?.delta.content ?? "";
      seen.completed = true;
    } else if (client === "anthropic") {
      const stream = h.anthropic().messages.stream(HELLO_ANTHROPIC);
      const message = await stream.finalMessage();
      seen.text = message.content
        .map((block) => (block.type === "text" ? block.text : ""))
        .join("");
      seen.completed = true;
    } else {
      const stream = await h.openai().responses.create({
        model: HELLO.model,
        input: "Hello there",
        stream: true,
      });
      for await (const event of stream) {
        if (event.type === "response.output_text.delta") seen.text += event.delta;
        else if (event.type === "error" || event.type === "response.failed") seen.error ??= event;
        else if (event.type === "response.completed") {
          seen.completed = seen.error === undefined;
          const output = event.response.output.flatMap((item) =>
            item.type === "message" ? item.content : [],
          );
          expect(
            output.map((part) => (part.type === "output_text" ? part.text : "")).join(""),
          ).toBe(seen.text);
        }
      }
    }
  } catch (error) {
    seen.error = error;
  }
  return seen;
}

/** The raw SSE body the client got for its one streamed call. */
async function rawStream(h: Harness<"primary" | "fallback">): Promise<string> {
  await h.settled();
  const streamed = h.responses.filter((response) => response.body.includes("data: "));
  return streamed[streamed.length - 1]?.body ?? "";
}

const START_EVENT: Record<Client, RegExp> = {
  openai: /"role":"assistant"/g,
  anthropic: /event: message_start/g,
  "openai responses": /event: response\.created/g,
};
const END_EVENT: Record<Client, RegExp> = {
  openai: /data: \[DONE\]/g,
  anthropic: /event: message_stop/g,
  "openai responses": /event: response\.completed/g,
};

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

afterAll(() => {
  // The pass-through path is the default; `npm run test:translated` runs the same cases translated.
  expect(typeof TRANSLATED).toBe("boolean");
});

describe("recording", () => {
  const ADMIN = "admin-key-stream-recovery";

  it("the trace lists both attempts with the seam; continuations_total counts the outcome", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: CONTINUE, server: { adminKey: ADMIN } }),
    );
    h.mocks.primary.enqueue({ fault: "cut", afterChunks: 4, reply: { text: FULL } });
    h.mocks.fallback.enqueue(continuing(0));
    const { data, response } = await h
      .openai()
      .chat.completions.create({ ...HELLO, stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(FULL);
    const requestId = response.headers.get("x-request-id") ?? "";
    const admin = { authorization: `Bearer ${ADMIN}` };
    await h.settled();
    await h.gateway.traceStore?.flush();
    const detail = (await (
      await fetch(`${h.url}/admin/requests/${requestId}`, { headers: admin })
    ).json()) as {
      request: {
        targetId: string;
        attempts: { targetId: string; outcome: string; message?: string }[];
      };
    };
    expect(detail.request.targetId).toBe("fallback/claude-sonnet-4-5");
    const attempts = detail.request.attempts.filter((attempt) => attempt.outcome !== "skipped");
    expect(attempts.map((attempt) => [attempt.targetId, attempt.outcome])).toEqual([
      ["primary/gpt-4o", "success"],
      ["primary/gpt-4o", "failure"],
      ["fallback/claude-sonnet-4-5", "success"],
    ]);
    expect(attempts[1]?.message).toMatch(
      /continued on fallback\/claude-sonnet-4-5 at char \d+ of the answer; its usage was estimated/,
    );
    const metrics = await (await fetch(`${h.url}/metrics`, { headers: admin })).text();
    expect(metrics).toMatch(
      /switchyard_continuations_total\{model="smart",outcome="completed"\} 1/,
    );
  });

  it("a cut that is not continued is counted with the reason", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: CONTINUE, server: { adminKey: ADMIN } }),
    );
    h.mocks.primary.enqueue({
      fault: "cut",
      afterChunks: 2,
      reply: { toolCalls: [{ name: "lookup", arguments: { city: "Paris", days: 3 } }] },
      chunks: 4,
    });
    const seen = await streamThrough(h, "openai");
    expect(seen.completed).toBe(false);
    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(metrics).toMatch(
      /switchyard_continuations_total\{model="smart",outcome="not_continuable"\} 1/,
    );
  });

  it("a stream that used up the deadline is not continued (no_target)", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: { ...CONTINUE, deadlineMs: 300 }, server: { adminKey: ADMIN } }),
    );
    h.mocks.primary.enqueue({ reply: { text: FULL }, chunkDelayMs: 100 });
    const seen = await streamThrough(h, "openai");
    expect(seen.completed).toBe(false);
    expect(seen.text.length).toBeGreaterThan(0);
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(metrics).toMatch(
      /switchyard_continuations_total\{model="smart",outcome="no_target"\} 1/,
    );
  });

  it("mode fail (the default) ends the stream with an error, and nothing is counted", async () => {
    const h = await pool.start(primaryAndFallback({ server: { adminKey: ADMIN } }));
    h.mocks.primary.enqueue({ fault: "cut", afterChunks: 4, reply: { text: FULL } });
    const seen = await streamThrough(h, "openai");
    expect(seen.completed).toBe(false);
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(metrics).not.toMatch(/switchyard_continuations_total\{/);
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
    expect(message.content.map((block) => block.type)).toEqual(
      TRANSLATED ? ["text"] : ["thinking", "text"],
    );
    const text = message.content.find((block) => block.type === "text");
    expect(text?.type === "text" ? text.text : "").toBe(FULL);
    const raw = await rawStream(h);
    expect(raw.match(/event: content_block_start/g)).toHaveLength(TRANSLATED ? 1 : 2);
  });
});
