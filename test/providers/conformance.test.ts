import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type ErrorKind, isProviderError } from "../../src/errors/index.js";
import type { ChatRequest, LlmProvider } from "../../src/llm/index.js";
import {
  type MockBehaviour,
  type MockErrorSpec,
  type MockProviderServer,
  startMockProviderServer,
} from "../../src/testing/index.js";
import { rejectionOf } from "../support/rejection-of.js";
import {
  ADAPTER_CASES,
  assembleToolCalls,
  context,
  drain,
  streamedText,
} from "./adapter-cases.test-helper.js";

// One conformance suite every LLM adapter passes, against the mock provider server: the same
// requests, the same scripted answers and faults, the same expectations of the unified model.

const MODEL = "conformance-model";
const ask = (content = "Say hello."): ChatRequest => ({
  model: MODEL,
  messages: [{ role: "user", content }],
});

const WEATHER_TOOL = {
  name: "get_weather",
  description: "Current weather in a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
  },
};

/** A conversation that has already called a tool and now hands its result back. */
const TOOL_ROUND_TRIP: ChatRequest = {
  model: MODEL,
  tools: [WEATHER_TOOL],
  messages: [
    { role: "system", content: "Answer briefly." },
    { role: "user", content: "Weather in Paris?" },
    {
      role: "assistant",
      content: null,
      toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
    },
    { role: "tool", toolCallId: "call_1", name: "get_weather", content: '{"temp_c":21}' },
  ],
};

/** Every error class the mock can answer with, and the kind each adapter must classify it as. */
const ERROR_CASES: { label: string; error: MockErrorSpec; kind: ErrorKind }[] = [
  {
    label: "rate_limit",
    error: { kind: "rate_limit", retryAfterSeconds: 7 },
    kind: "rate_limited",
  },
  { label: "quota", error: { kind: "quota" }, kind: "quota_exhausted" },
  { label: "auth", error: { kind: "auth" }, kind: "auth" },
  { label: "permission", error: { kind: "permission" }, kind: "auth" },
  { label: "not_found", error: { kind: "not_found" }, kind: "not_found" },
  { label: "context_length", error: { kind: "context_length" }, kind: "context_length" },
  { label: "invalid_request", error: { kind: "invalid_request" }, kind: "invalid_request" },
  { label: "content_filter", error: { kind: "content_filter" }, kind: "content_filter" },
  { label: "server (500)", error: { kind: "server" }, kind: "transient" },
  { label: "overloaded", error: { kind: "overloaded" }, kind: "transient" },
  { label: "502", error: { status: 502 }, kind: "transient" },
  { label: "503", error: { status: 503 }, kind: "transient" },
  { label: "529", error: { status: 529 }, kind: "transient" },
];

/** In-stream error events (HTTP 200), before and after the first output. */
const ERROR_EVENT_CASES = [
  { error: "overloaded", kind: "transient", afterChunks: 0 },
  { error: "quota", kind: "quota_exhausted", afterChunks: 0 },
  { error: "context_length", kind: "context_length", afterChunks: 0 },
  { error: "rate_limit", kind: "rate_limited", afterChunks: 1 },
  { error: "server", kind: "transient", afterChunks: 1 },
  { error: "invalid_request", kind: "invalid_request", afterChunks: 1 },
] as const;

const LONG_TEXT = "one two three four five six seven eight nine ten";

describe.each(ADAPTER_CASES)("$label adapter conformance", (adapter) => {
  let mock: MockProviderServer;
  let provider: LlmProvider;
  /** The same adapter with a short idle limit, for stalled streams. */
  let impatient: LlmProvider;
  const name = `${adapter.label.replace(/\W+/g, "-")}-under-test`;

  beforeAll(async () => {
    mock = await startMockProviderServer();
    provider = adapter.create(mock, { name });
    impatient = adapter.create(mock, { name, idleTimeoutMs: 100 });
  });
  afterAll(async () => {
    await Promise.all([provider.close(), impatient.close()]);
    await mock.close();
  });
  beforeEach(() => {
    mock.reset();
  });

  describe("answers", () => {
    it("generates text with usage, its type and the model", async () => {
      mock.enqueue({
        reply: {
          text: "Hello there.",
          usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3 },
        },
      });
      const result = await provider.generate(ask(), context());
      expect(result).toMatchObject({
        text: "Hello there.",
        toolCalls: [],
        finishReason: "stop",
        adapterType: adapter.type,
        model: MODEL,
        usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3, totalTokens: 18 },
      });
      expect(provider.type).toBe(adapter.type);
      const sent = mock.requests[0];
      expect(sent?.route).toBe(adapter.routes.generate);
      expect(sent && adapter.readSent(sent)).toMatchObject({ model: MODEL, key: adapter.apiKey });
    });

    it("reports a length stop as finishReason length", async () => {
      mock.enqueue({ reply: { text: "cut sh", finishReason: "length" } });
      const result = await provider.generate(ask(), context());
      expect(result.finishReason).toBe("length");
      expect(result.rawFinishReason).not.toBeNull();
    });

    it("sends tools, earlier tool calls and tool results in its wire format", async () => {
      mock.enqueue({ reply: { text: "It is 21 degrees." } });
      const result = await provider.generate(TOOL_ROUND_TRIP, context());
      expect(result.text).toBe("It is 21 degrees.");
      const recorded = mock.requests[0];
      if (recorded === undefined) throw new Error("the mock saw no request");
      const sent = adapter.readSent(recorded);
      expect(sent.system).toBe("Answer briefly.");
      expect(sent.toolNames).toEqual(["get_weather"]);
      expect(sent.assistantToolCalls).toMatchObject([
        { name: "get_weather", arguments: { city: "Paris" } },
      ]);
      expect(sent.toolResults).toHaveLength(1);
      expect(sent.toolResults[0]?.content).toEqual({ temp_c: 21 });
      if (adapter.toolResultsLinkBy === "id") {
        expect(sent.assistantToolCalls[0]?.id).toBe("call_1");
        expect(sent.toolResults[0]?.callId).toBe("call_1");
      } else {
        expect(sent.toolResults[0]?.name).toBe("get_weather");
      }
    });

    it("returns tool calls with ids, names and JSON arguments", async () => {
      mock.enqueue({
        reply: {
          toolCalls: [
            { name: "get_weather", arguments: { city: "Paris" } },
            { name: "get_time", arguments: { zone: "CET" } },
          ],
        },
      });
      const result = await provider.generate({ ...ask(), tools: [WEATHER_TOOL] }, context());
      expect(result.finishReason).toBe("tool_calls");
      expect(result.toolCalls.map((call) => call.name)).toEqual(["get_weather", "get_time"]);
      expect(result.toolCalls.map((call) => JSON.parse(call.arguments))).toEqual([
        { city: "Paris" },
        { zone: "CET" },
      ]);
      const ids = result.toolCalls.map((call) => call.id);
      expect(ids.every((id) => id !== "")).toBe(true);
      expect(new Set(ids).size).toBe(2);
    });

    it("streams text deltas after response-metadata, ending in usage then finish", async () => {
      mock.enqueue({
        reply: {
          text: LONG_TEXT,
          usage: { inputTokens: 5, outputTokens: 10, cachedInputTokens: 2 },
        },
      });
      const { parts, error } = await drain(provider.stream(ask(), context()));
      expect(error).toBeUndefined();
      expect(mock.requests[0]?.route).toBe(adapter.routes.stream);
      expect(parts[0]).toMatchObject({ type: "response-metadata", model: MODEL });
      expect(parts.filter((part) => part.type === "response-metadata")).toHaveLength(1);
      expect(parts.filter((part) => part.type === "text-delta").length).toBeGreaterThan(1);
      expect(streamedText(parts)).toBe(LONG_TEXT);
      // Reasoning tokens: 0 where the vendor reports them (OpenAI's usage details), else absent.
      const counts = { inputTokens: 5, outputTokens: 10, cachedInputTokens: 2, totalTokens: 15 };
      const usage = parts.at(-2);
      const reported =
        usage?.type === "usage" && usage.usage.reasoningTokens !== undefined
          ? { reasoningTokens: 0 }
          : {};
      expect(parts.slice(-2)).toEqual([
        { type: "usage", usage: { ...counts, ...reported } },
        { type: "finish", finishReason: "stop", rawFinishReason: expect.any(String) },
      ]);
    });

    it("streams tool-call deltas that reassemble into the calls", async () => {
      mock.enqueue({
        reply: {
          toolCalls: [
            { name: "get_weather", arguments: { city: "Paris" } },
            { name: "get_time", arguments: { zone: "CET" } },
          ],
          usage: { inputTokens: 4, outputTokens: 9 },
        },
        chunkSize: 5,
      });
      const { parts, error } = await drain(
        provider.stream({ ...ask(), tools: [WEATHER_TOOL] }, context()),
      );
      expect(error).toBeUndefined();
      const calls = assembleToolCalls(parts);
      expect(calls.map((call) => call.name)).toEqual(["get_weather", "get_time"]);
      expect(calls.map((call) => JSON.parse(call.arguments))).toEqual([
        { city: "Paris" },
        { zone: "CET" },
      ]);
      expect(calls.every((call) => call.id !== "")).toBe(true);
      expect(parts.at(-2)).toMatchObject({
        type: "usage",
        usage: { inputTokens: 4, outputTokens: 9 },
      });
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool_calls" });
    });

    it.runIf(adapter.routes.embeddings !== undefined)("embeds inputs in order", async () => {
      mock.enqueue({
        reply: {
          embeddings: [
            [0.1, 0.2],
            [0.3, 0.4],
            [0.5, 0.6],
          ],
        },
      });
      const result = await provider.embed?.(
        { model: "embedder", input: ["a", "b", "c"] },
        context(),
      );
      expect(result?.embeddings).toEqual([
        [0.1, 0.2],
        [0.3, 0.4],
        [0.5, 0.6],
      ]);
      expect(result?.adapterType).toBe(adapter.type);
      expect(mock.requests[0]?.route).toBe(adapter.routes.embeddings);
    });

    it.runIf(adapter.routes.embeddings === undefined)("has no embed method", () => {
      expect(provider.embed).toBeUndefined();
    });

    it("health-checks with an authenticated models request, and fails on a bad key", async () => {
      await expect(provider.healthCheck(context())).resolves.toBeDefined();
      const sent = mock.requests[0];
      expect(sent?.route).toBe(adapter.routes.models);
      expect(sent?.method).toBe("GET");
      expect(sent && adapter.readSent(sent).key).toBe(adapter.apiKey);
      mock.enqueue({ error: { kind: "auth" } });
      expect((await rejectionOf(provider.healthCheck(context()), isProviderError)).kind).toBe(
        "auth",
      );
    });
  });

  describe("errors", () => {
    it.each(ERROR_CASES)("classifies $label as $kind, plain and streaming", async (errorCase) => {
      mock.enqueue({ error: errorCase.error }, { error: errorCase.error });
      const plain = await rejectionOf(provider.generate(ask(), context()), isProviderError);
      const streamed = await drain(provider.stream(ask(), context()));
      expect(streamed.parts).toEqual([]);
      for (const error of [plain, streamed.error]) {
        expect(error).toMatchObject({ kind: errorCase.kind, provider: name });
        expect(error?.message).not.toContain(adapter.apiKey);
        if (errorCase.error.status !== undefined)
          expect(error?.status).toBe(errorCase.error.status);
        if (errorCase.kind === "rate_limited") expect(error?.retryAfterMs).toBe(7000);
      }
    });

    it.each(ERROR_EVENT_CASES)(
      "throws an in-stream $error event after $afterChunks chunk(s) as $kind",
      async ({ error, kind, afterChunks }) => {
        mock.enqueue({
          fault: "error-event",
          kind: error,
          afterChunks,
          reply: { text: LONG_TEXT },
        });
        const streamed = await drain(provider.stream(ask(), context()));
        expect(streamed.error?.kind).toBe(kind);
        const texts = streamed.parts.filter((part) => part.type === "text-delta");
        expect(texts).toHaveLength(afterChunks);
        if (afterChunks === 0) expect(streamed.parts).toEqual([]);
      },
    );
  });

  describe("faults", () => {
    const reply = { text: LONG_TEXT };

    it("a reset before any byte is transient, before any output", async () => {
      mock.enqueue({ fault: "reset" }, { fault: "reset" });
      expect((await rejectionOf(provider.generate(ask(), context()), isProviderError)).kind).toBe(
        "transient",
      );
      const streamed = await drain(provider.stream(ask(), context()));
      expect(streamed.parts).toEqual([]);
      expect(streamed.error?.kind).toBe("transient");
    });

    it("a connection cut mid-stream throws after the output so far", async () => {
      mock.enqueue(
        { fault: "cut", afterChunks: 2, reply },
        { fault: "cut", afterChunks: 1, reply },
      );
      const streamed = await drain(provider.stream(ask(), context()));
      expect(streamedText(streamed.parts)).toBe("one two ");
      expect(streamed.error?.kind).toBe("transient");
      expect((await rejectionOf(provider.generate(ask(), context()), isProviderError)).kind).toBe(
        "transient",
      );
    });

    it("a stall is a timeout after idleTimeoutMs, before or after output", async () => {
      mock.enqueue(
        { fault: "stall", afterChunks: 0, reply },
        { fault: "stall", afterChunks: 2, reply },
        { fault: "stall", afterChunks: 1, reply },
      );
      const before = await drain(impatient.stream(ask(), context()));
      expect(before.parts).toEqual([]);
      expect(before.error?.kind).toBe("timeout");
      const after = await drain(impatient.stream(ask(), context()));
      expect(streamedText(after.parts)).toBe("one two ");
      expect(after.error?.kind).toBe("timeout");
      expect(after.error?.message).toContain("100 ms");
      expect((await rejectionOf(impatient.generate(ask(), context()), isProviderError)).kind).toBe(
        "timeout",
      );
    });

    it("malformed JSON is transient, in a body or a stream", async () => {
      mock.enqueue({ fault: "malformed-json", reply }, { fault: "malformed-json", reply });
      expect((await rejectionOf(provider.generate(ask(), context()), isProviderError)).kind).toBe(
        "transient",
      );
      const streamed = await drain(provider.stream(ask(), context()));
      expect(streamed.parts).toEqual([]);
      expect(streamed.error?.kind).toBe("transient");
    });

    it("a stream that ends without its terminal event throws transient, never ends cleanly", async () => {
      mock.enqueue({ fault: "no-terminal", reply });
      const streamed = await drain(provider.stream(ask(), context()));
      expect(streamedText(streamed.parts)).toBe(LONG_TEXT);
      expect(streamed.parts.some((part) => part.type === "finish")).toBe(false);
      expect(streamed.error?.kind).toBe("transient");
    });
  });

  describe("content encodings and the size limit", () => {
    const LIMIT = 64 * 1024;
    let bounded: LlmProvider;
    beforeAll(() => {
      bounded = adapter.create(mock, { name, maxResponseBytes: LIMIT });
    });
    afterAll(() => bounded.close());

    it.each(["gzip", "br", "deflate"] as const)(
      "decodes a %s answer, plain, streamed and as an error",
      async (contentEncoding) => {
        const reply = { text: LONG_TEXT };
        mock.enqueue(
          { reply, contentEncoding },
          { reply, contentEncoding, chunkDelayMs: 5 },
          { error: { kind: "quota" }, contentEncoding },
        );
        expect((await provider.generate(ask(), context())).text).toBe(LONG_TEXT);
        const streamed = await drain(provider.stream(ask(), context()));
        expect(streamed.error).toBeUndefined();
        expect(streamedText(streamed.parts)).toBe(LONG_TEXT);
        expect(streamed.parts.at(-1)?.type).toBe("finish");
        expect((await rejectionOf(provider.generate(ask(), context()), isProviderError)).kind).toBe(
          "quota_exhausted",
        );
      },
    );

    it("an answer or a stream event past maxResponseBytes is transient and closes the connection", async () => {
      const huge: MockBehaviour = { fault: "huge-body", bytes: 8 * 1024 * 1024 };
      mock.enqueue(huge, huge);
      const plain = await rejectionOf(bounded.generate(ask(), context()), isProviderError);
      expect(plain).toMatchObject({ kind: "transient", vendorCode: "response_too_large" });
      expect(plain.message).toContain(`maxResponseBytes (${LIMIT} bytes)`);
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
      const streamed = await drain(bounded.stream(ask(), context()));
      expect(streamed.parts).toEqual([]);
      expect(streamed.error).toMatchObject({ kind: "transient", vendorCode: "response_too_large" });
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });

    it("a gzip bomb is cut off at the limit, counted after decoding", async () => {
      mock.enqueue({ fault: "huge-body", bytes: 1024 ** 3, contentEncoding: "gzip" });
      const error = await rejectionOf(bounded.generate(ask(), context()), isProviderError);
      expect(error).toMatchObject({ kind: "transient", vendorCode: "response_too_large" });
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });

    it("a health check against an endless answer ends", async () => {
      mock.enqueueFor(adapter.routes.models, { fault: "endless" });
      const error = await rejectionOf(bounded.healthCheck(context()), isProviderError);
      expect(error).toMatchObject({ kind: "transient", vendorCode: "response_too_large" });
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });
  });

  describe("its own failures", () => {
    /** A value whose `field` throws when read: the adapter's own code fails while mapping it. */
    const throwing = <T extends object>(value: T, field: string): T =>
      Object.defineProperty(value, field, {
        get() {
          throw new TypeError("a mapper broke");
        },
      });

    it("a request it cannot prepare is kind internal, plain, streaming and embeddings, and never sent", async () => {
      const plain = await rejectionOf(
        provider.generate(throwing(ask(), "messages"), context()),
        isProviderError,
      );
      const streamed = await drain(provider.stream(throwing(ask(), "messages"), context()));
      expect(streamed.parts).toEqual([]);
      const embedding = provider.embed
        ? await rejectionOf(
            provider.embed(throwing({ model: MODEL, input: [] }, "input"), context()),
            isProviderError,
          )
        : undefined;
      for (const error of [plain, streamed.error, embedding].filter((e) => e !== undefined)) {
        expect(error).toMatchObject({ kind: "internal", provider: name });
        expect(error?.message).toContain("TypeError: a mapper broke");
      }
      expect(embedding === undefined).toBe(adapter.routes.embeddings === undefined);
      expect(mock.requests).toEqual([]);
    });
  });

  describe("cancellation reaches the socket", () => {
    it("aborting mid-stream rejects with the reason and closes the upstream request", async () => {
      mock.enqueue({ reply: { text: LONG_TEXT }, chunkDelayMs: 30 });
      const controller = new AbortController();
      const reason = new Error("the caller went away");
      const iterator = provider.stream(ask(), context(controller.signal))[Symbol.asyncIterator]();
      let first = await iterator.next();
      while (!first.done && first.value.type !== "text-delta") first = await iterator.next();
      expect(first.value).toMatchObject({ type: "text-delta" });
      expect(mock.stats.inFlight).toBe(1);
      controller.abort(reason);
      await expect(iterator.next()).rejects.toBe(reason);
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });

    it("aborting while waiting for the headers rejects with the reason and closes the request", async () => {
      mock.enqueue({ reply: { text: "late" }, headersDelayMs: 10_000 });
      const controller = new AbortController();
      const reason = new Error("deadline passed");
      const pending = provider.generate(ask(), context(controller.signal));
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(1));
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });

    it("aborting a stream that never sends a chunk rejects before any output", async () => {
      const behaviour: MockBehaviour = { fault: "never-end" };
      mock.enqueue(behaviour);
      const controller = new AbortController();
      const reason = new Error("gave up");
      const parts: unknown[] = [];
      const reading = (async () => {
        for await (const part of provider.stream(ask(), context(controller.signal)))
          parts.push(part);
      })();
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(1));
      controller.abort(reason);
      await expect(reading).rejects.toBe(reason);
      expect(parts).toEqual([]);
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });
  });
});
