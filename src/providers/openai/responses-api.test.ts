import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collect } from "../../../test/support/collect.js";
import { isProviderError } from "../../errors/provider-error.js";
import type { ChatRequest } from "../../llm/chat.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import { type MockProviderServer, startMockProviderServer } from "../../testing/index.js";
import { createOpenAIProvider } from "./create-openai-provider.js";

// The Responses API as an upstream (`api: "responses"`), against the mock vendor, whose answers the
// official SDK parses.

let mock: MockProviderServer;
let adapter: LlmProvider;
let sdk: OpenAI;
const context = () => ({ signal: new AbortController().signal, targetId: "t", attempt: 1 });

beforeAll(async () => {
  mock = await startMockProviderServer();
  adapter = createOpenAIProvider({
    apiKey: "sk-test",
    baseUrl: `${mock.url}/v1`,
    api: "responses",
  });
  sdk = new OpenAI({ apiKey: "sk-test", baseURL: `${mock.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await adapter.close();
  await mock.close();
});
beforeEach(() => mock.reset());

const REQUEST: ChatRequest = {
  model: "gpt-5",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Weather in Paris?" },
    {
      role: "assistant",
      content: null,
      toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
    },
    { role: "tool", toolCallId: "call_1", content: "sunny", name: "get_weather" },
  ],
  tools: [{ name: "get_weather", parameters: { type: "object" } }],
  maxTokens: 50,
  providerOptions: { openai: { reasoning_effort: "low", verbosity: "low", service_tier: "flex" } },
};

describe("the mock's /v1/responses, read by the official SDK", () => {
  it("answers a response the SDK parses, output_text included", async () => {
    mock.enqueue({
      reply: { text: "It is sunny.", usage: { inputTokens: 9, cachedInputTokens: 3 } },
    });
    const response = await sdk.responses.create({ model: "gpt-5", input: "Weather?" });
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("It is sunny.");
    expect(response.usage).toMatchObject({
      input_tokens: 9,
      input_tokens_details: { cached_tokens: 3 },
    });
  });

  it("streams events the SDK's stream helper assembles", async () => {
    mock.enqueue({
      reply: { text: "a b c", toolCalls: [{ name: "f", arguments: { x: 1 } }] },
    });
    const stream = sdk.responses.stream({ model: "gpt-5", input: "go" });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types[0]).toBe("response.created");
    expect(types).toContain("response.output_text.delta");
    expect(types).toContain("response.function_call_arguments.delta");
    expect(types.at(-1)).toBe("response.completed");
    expect(final.output_text).toBe("a b c");
    expect(final.output.find((item) => item.type === "function_call")).toMatchObject({
      name: "f",
      arguments: '{"x":1}',
    });
  });
});

describe("the adapter with api: responses", () => {
  it("sends a Responses body and maps the answer", async () => {
    mock.enqueue({ reply: { text: "Sunny.", usage: { inputTokens: 20, outputTokens: 2 } } });
    const result = await adapter.generate(REQUEST, context());
    expect(result).toMatchObject({
      text: "Sunny.",
      finishReason: "stop",
      usage: { inputTokens: 20, outputTokens: 2, totalTokens: 22 },
    });
    const sent = mock.requestsFor("openai.responses")[0]?.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: "gpt-5",
      store: false,
      max_output_tokens: 50,
      reasoning: { effort: "low" },
      text: { verbosity: "low" },
      service_tier: "flex",
      tools: [{ type: "function", name: "get_weather", parameters: { type: "object" } }],
      input: [
        { type: "message", role: "developer", content: "Be brief." },
        { type: "message", role: "user", content: "Weather in Paris?" },
        {
          type: "function_call",
          call_id: "call_1",
          name: "get_weather",
          arguments: '{"city":"Paris"}',
        },
        { type: "function_call_output", call_id: "call_1", output: "sunny" },
      ],
    });
    expect(sent).not.toHaveProperty("reasoning_effort");
    expect(sent).not.toHaveProperty("verbosity");
  });

  it("maps tool calls and an incomplete answer", async () => {
    mock.enqueue({ reply: { toolCalls: [{ id: "call_9", name: "f", arguments: "{}" }] } });
    const tools = await adapter.generate(REQUEST, context());
    expect(tools.toolCalls).toEqual([{ id: "call_9", name: "f", arguments: "{}" }]);
    expect(tools.finishReason).toBe("tool_calls");
    mock.enqueue({ reply: { text: "cut", finishReason: "length" } });
    const cut = await adapter.generate(REQUEST, context());
    expect(cut).toMatchObject({ finishReason: "length", rawFinishReason: "max_output_tokens" });
  });

  it("streams text and tool calls as unified parts", async () => {
    mock.enqueue({
      reply: { text: "one two", toolCalls: [{ id: "call_2", name: "g", arguments: '{"a":2}' }] },
      chunks: 2,
    });
    const parts = await collect(adapter.stream(REQUEST, context()));
    expect(parts[0]?.type).toBe("response-metadata");
    const text = parts.flatMap((part) => (part.type === "text-delta" ? [part.text] : [])).join("");
    expect(text).toBe("one two");
    const calls = parts.filter((part) => part.type === "tool-call-delta");
    expect(calls[0]).toMatchObject({ index: 0, id: "call_2", name: "g" });
    expect(
      calls.map((part) => (part.type === "tool-call-delta" ? part.argumentsDelta : "")).join(""),
    ).toBe('{"a":2}');
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool_calls" });
    expect(parts.some((part) => part.type === "usage")).toBe(true);
  });

  it("throws a classified error on an in-stream error event and on a cut stream", async () => {
    mock.enqueue({
      reply: { text: "a b c d" },
      fault: "error-event",
      afterChunks: 1,
      kind: "overloaded",
    });
    const failure = await collect(adapter.stream(REQUEST, context())).catch(
      (error: unknown) => error,
    );
    // Classified as the same fault on the chat completions path is.
    const chat = createOpenAIProvider({ apiKey: "sk-test", baseUrl: `${mock.url}/v1` });
    mock.enqueue({
      reply: { text: "a b c d" },
      fault: "error-event",
      afterChunks: 1,
      kind: "overloaded",
    });
    const chatFailure = await collect(chat.stream(REQUEST, context())).catch(
      (error: unknown) => error,
    );
    await chat.close();
    expect(isProviderError(failure) && isProviderError(chatFailure)).toBe(true);
    expect(isProviderError(failure) && failure.kind).toBe(
      isProviderError(chatFailure) && chatFailure.kind,
    );
    mock.enqueue({ reply: { text: "a b c d" }, fault: "no-terminal", afterChunks: 2 });
    const cut = await collect(adapter.stream(REQUEST, context())).catch((error: unknown) => error);
    expect(isProviderError(cut) && cut.message).toMatch(/without response.completed/);
  });

  it("maps an HTTP error like chat completions", async () => {
    mock.enqueue({ error: { kind: "rate_limit", retryAfterSeconds: 3 } });
    const failure = await adapter.generate(REQUEST, context()).catch((error: unknown) => error);
    expect(isProviderError(failure) && failure.kind).toBe("rate_limited");
  });
});
