import { describe, expect, it } from "vitest";
import { isProviderError } from "../../src/errors/index.js";
import type { ChatRequest } from "../../src/llm/index.js";
import { rejectionOf } from "../support/rejection-of.js";
import { ADAPTER_CASES } from "./adapter-cases.test-helper.js";
import { adapterUnderTest, ask, LONG_TEXT, MODEL } from "./conformance.test-helper.js";
import { assembleToolCalls, context, drain, streamedText } from "./provider-calls.test-helper.js";

// The conformance suite (see conformance.test-helper.ts): answers, tools, embeddings, health.

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

describe.each(ADAPTER_CASES)("$label adapter conformance", (adapter) => {
  const under = adapterUnderTest(adapter);

  describe("answers", () => {
    it("generates text with usage, its type and the model", async () => {
      under.mock.enqueue({
        reply: {
          text: "Hello there.",
          usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3 },
        },
      });
      const result = await under.provider.generate(ask(), context());
      expect(result).toMatchObject({
        text: "Hello there.",
        toolCalls: [],
        finishReason: "stop",
        adapterType: adapter.type,
        model: MODEL,
        usage: { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3, totalTokens: 18 },
      });
      expect(under.provider.type).toBe(adapter.type);
      const sent = under.mock.requests[0];
      expect(sent?.route).toBe(adapter.routes.generate);
      expect(sent && adapter.readSent(sent)).toMatchObject({ model: MODEL, key: adapter.apiKey });
    });

    it("reports a length stop as finishReason length", async () => {
      under.mock.enqueue({ reply: { text: "cut sh", finishReason: "length" } });
      const result = await under.provider.generate(ask(), context());
      expect(result.finishReason).toBe("length");
      expect(result.rawFinishReason).not.toBeNull();
    });

    it("sends tools, earlier tool calls and tool results in its wire format", async () => {
      under.mock.enqueue({ reply: { text: "It is 21 degrees." } });
      const result = await under.provider.generate(TOOL_ROUND_TRIP, context());
      expect(result.text).toBe("It is 21 degrees.");
      const recorded = under.mock.requests[0];
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
      under.mock.enqueue({
        reply: {
          toolCalls: [
            { name: "get_weather", arguments: { city: "Paris" } },
            { name: "get_time", arguments: { zone: "CET" } },
          ],
        },
      });
      const result = await under.provider.generate({ ...ask(), tools: [WEATHER_TOOL] }, context());
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
      under.mock.enqueue({
        reply: {
          text: LONG_TEXT,
          usage: { inputTokens: 5, outputTokens: 10, cachedInputTokens: 2 },
        },
      });
      const { parts, error } = await drain(under.provider.stream(ask(), context()));
      expect(error).toBeUndefined();
      expect(under.mock.requests[0]?.route).toBe(adapter.routes.stream);
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
      under.mock.enqueue({
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
        under.provider.stream({ ...ask(), tools: [WEATHER_TOOL] }, context()),
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
      under.mock.enqueue({
        reply: {
          embeddings: [
            [0.1, 0.2],
            [0.3, 0.4],
            [0.5, 0.6],
          ],
        },
      });
      const result = await under.provider.embed?.(
        { model: "embedder", input: ["a", "b", "c"] },
        context(),
      );
      expect(result?.embeddings).toEqual([
        [0.1, 0.2],
        [0.3, 0.4],
        [0.5, 0.6],
      ]);
      expect(result?.adapterType).toBe(adapter.type);
      expect(under.mock.requests[0]?.route).toBe(adapter.routes.embeddings);
    });

    it.runIf(adapter.routes.embeddings === undefined)("has no embed method", () => {
      expect(under.provider.embed).toBeUndefined();
    });

    it("health-checks with an authenticated models request, and fails on a bad key", async () => {
      await expect(under.provider.healthCheck(context())).resolves.toBeDefined();
      const sent = under.mock.requests[0];
      expect(sent?.route).toBe(adapter.routes.models);
      expect(sent?.method).toBe("GET");
      expect(sent && adapter.readSent(sent).key).toBe(adapter.apiKey);
      under.mock.enqueue({ error: { kind: "auth" } });
      expect((await rejectionOf(under.provider.healthCheck(context()), isProviderError)).kind).toBe(
        "auth",
      );
    });
  });
});
