/**
 * The OpenAI-format endpoints, driven by the official SDK, served by an OpenAI-format upstream:
 * chat (text, tools round trip), streaming (text, tool-call deltas, include_usage), embeddings
 * (float and base64) and the models list. Translation is in translation-*.test.ts.
 */
import type { ChatCompletionChunk, ChatCompletionMessageParam } from "openai/resources";
import { describe, expect, it } from "vitest";
import { startTwoVendorHarness } from "./two-vendor-harness.js";

const h = await startTwoVendorHarness([
  ["gpt", "oa", "gpt-4o-mini"],
  ["claude", "an", "claude-sonnet-4-5"],
  ["embed", "oa", "text-embedding-3-small"],
]);

const WEATHER_TOOL = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    },
  },
};

describe("POST /v1/chat/completions", () => {
  it("answers a text request with the upstream's text and usage", async () => {
    h.mocks.openai.enqueue({
      reply: { text: "It is sunny.", usage: { inputTokens: 12, outputTokens: 4 } },
    });
    const completion = await h.openai().chat.completions.create({
      model: "gpt",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      temperature: 0.2,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4o-mini");
    expect(completion.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "It is sunny.",
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 12,
      completion_tokens: 4,
      total_tokens: 16,
    });
    const upstream = h.mocks.openai.requestsFor("openai.chat");
    expect(upstream).toHaveLength(1);
    expect(upstream[0]?.body).toMatchObject({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      temperature: 0.2,
    });
  });

  it("round-trips a tool call: tool_calls out, the tool's result back in", async () => {
    const client = h.openai();
    h.mocks.openai.enqueue(
      {
        reply: {
          toolCalls: [{ id: "call_w1", name: "get_weather", arguments: { city: "Paris" } }],
        },
      },
      { reply: { text: "18 degrees and sunny in Paris." } },
    );
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris?" }];
    const first = await client.chat.completions.create({
      model: "gpt",
      messages,
      tools: [WEATHER_TOOL],
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.tool_calls).toEqual([
      {
        id: "call_w1",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ]);
    expect(h.mocks.openai.requests[0]?.body).toMatchObject({
      tools: [{ type: "function", function: { name: "get_weather" } }],
    });

    if (!choice) throw new Error("no choice");
    messages.push(choice.message, {
      role: "tool",
      tool_call_id: "call_w1",
      content: '{"celsius":18}',
    });
    const second = await client.chat.completions.create({
      model: "gpt",
      messages,
      tools: [WEATHER_TOOL],
    });
    expect(second.choices[0]?.message.content).toBe("18 degrees and sunny in Paris.");
    const sent = h.mocks.openai.requests[1]?.body as { messages: unknown[] };
    expect(sent.messages).toHaveLength(3);
    expect(sent.messages[1]).toMatchObject({
      role: "assistant",
      tool_calls: [{ id: "call_w1", function: { name: "get_weather" } }],
    });
    expect(sent.messages[2]).toMatchObject({
      role: "tool",
      tool_call_id: "call_w1",
      content: '{"celsius":18}',
    });
  });
});

describe("streaming chat completions", () => {
  it("streams text deltas and, with include_usage, a final usage chunk", async () => {
    h.mocks.openai.enqueue({
      reply: { text: "One two three four.", usage: { inputTokens: 9, outputTokens: 5 } },
    });
    const stream = await h.openai().chat.completions.create({
      model: "gpt",
      messages: [{ role: "user", content: "Count." }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("One two three four.");
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(1);
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === "stop")).toBe(true);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 });
    expect(h.mocks.openai.requests[0]?.body).toMatchObject({ stream: true });
  });

  it("without include_usage sends no usage chunk", async () => {
    const stream = await h.openai().chat.completions.create({
      model: "gpt",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((chunk) => !chunk.usage)).toBe(true);
  });

  it("streams tool-call deltas that the SDK's helper reassembles", async () => {
    h.mocks.openai.enqueue({
      reply: { toolCalls: [{ id: "call_s1", name: "get_weather", arguments: { city: "Oslo" } }] },
      chunkSize: 4,
    });
    const runner = h.openai().chat.completions.stream({
      model: "gpt",
      messages: [{ role: "user", content: "Weather in Oslo?" }],
      tools: [WEATHER_TOOL],
    });
    let argumentDeltas = 0;
    runner.on("chunk", (chunk) => {
      if (chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments) argumentDeltas++;
    });
    const final = await runner.finalChatCompletion();
    expect(argumentDeltas).toBeGreaterThan(1);
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      id: "call_s1",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
    });
  });
});

describe("POST /v1/embeddings", () => {
  const VECTORS = [
    [0.25, -0.5, 0.125],
    [1, 0, -1],
  ];

  it("answers floats when asked for floats", async () => {
    h.mocks.openai.enqueue({ reply: { embeddings: VECTORS } });
    const response = await h.openai().embeddings.create({
      model: "embed",
      input: ["a", "b"],
      encoding_format: "float",
    });
    expect(response.data.map((item) => item.embedding)).toEqual(VECTORS);
    expect(response.data.map((item) => item.index)).toEqual([0, 1]);
    expect(response.model).toBe("text-embedding-3-small");
    expect(h.mocks.openai.requestsFor("openai.embeddings")[0]?.body).toMatchObject({
      model: "text-embedding-3-small",
      input: ["a", "b"],
    });
  });

  it("answers base64, the SDK's default encoding, which the SDK decodes to the same floats", async () => {
    h.mocks.openai.enqueue({ reply: { embeddings: VECTORS } });
    const raw = await h.fetch(`${h.url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "embed", input: ["a"], encoding_format: "base64" }),
    });
    const body = (await raw.json()) as { data: Array<{ embedding: unknown }> };
    expect(typeof body.data[0]?.embedding).toBe("string");

    h.mocks.openai.enqueue({ reply: { embeddings: VECTORS } });
    const response = await h.openai().embeddings.create({ model: "embed", input: ["a", "b"] });
    expect(response.data.map((item) => item.embedding)).toEqual(VECTORS);
  });
});

describe("GET /v1/models", () => {
  it("lists the configured models", async () => {
    const ids: string[] = [];
    for await (const model of h.openai().models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(["claude", "embed", "gpt"]);
  });
});
