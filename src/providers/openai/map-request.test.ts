import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../llm/chat.js";
import { mapChatRequest, mapEmbeddingsRequest, type RequestMappingOptions } from "./map-request.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));

const plain: RequestMappingOptions = {
  stream: false,
  maxTokensField: "max_completion_tokens",
  includeStreamUsage: true,
  providerOptionsKeys: ["openai"],
};

describe("mapChatRequest", () => {
  it("maps tools and tool choice to the reference's function-calling body", () => {
    const request: ChatRequest = {
      model: "gpt-4.1",
      messages: [{ role: "user", content: "What is the weather like in Boston today?" }],
      tools: [
        {
          name: "get_current_weather",
          description: "Get the current weather in a given location",
          parameters: {
            type: "object",
            properties: {
              location: {
                type: "string",
                description: "The city and state, e.g. San Francisco, CA",
              },
              unit: { type: "string", enum: ["celsius", "fahrenheit"] },
            },
            required: ["location"],
          },
        },
      ],
      toolChoice: "auto",
    };
    expect(mapChatRequest(request, plain)).toEqual(fixture("chat-request-tools.json"));
  });

  it("maps image parts by URL and sends maxTokens as max_completion_tokens", () => {
    const request: ChatRequest = {
      model: "gpt-4.1",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image?" },
            {
              type: "image",
              source: {
                type: "url",
                url: "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg",
              },
            },
          ],
        },
      ],
      maxTokens: 300,
    };
    expect(mapChatRequest(request, plain)).toEqual(fixture("chat-request-image.json"));
  });

  it("sends base64 images as data URLs, with detail", () => {
    const body = mapChatRequest(
      {
        model: "m",
        messages: [
          {
            role: "user",
            content: [
              {
                type: "image",
                source: { type: "base64", mediaType: "image/png", data: "iVBORw0K" },
                detail: "low",
              },
            ],
          },
        ],
      },
      plain,
    );
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "image_url",
            image_url: { url: "data:image/png;base64,iVBORw0K", detail: "low" },
          },
        ],
      },
    ]);
  });

  it("maps a tool-call round trip: assistant tool_calls and tool results", () => {
    const body = mapChatRequest(
      {
        model: "m",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Weather?" },
          {
            role: "assistant",
            content: null,
            toolCalls: [{ id: "call_1", name: "weather", arguments: '{"city":"Oslo"}' }],
          },
          { role: "tool", toolCallId: "call_1", content: "sunny", name: "weather" },
          { role: "assistant", content: null },
        ],
      },
      plain,
    );
    expect(body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
      { role: "assistant", content: "" },
    ]);
  });

  it("maps every sampling field, a named tool choice and strict tools", () => {
    const body = mapChatRequest(
      {
        model: "m",
        messages: [{ role: "user", content: "hi" }],
        tools: [{ name: "f", parameters: { type: "object" }, strict: true }],
        toolChoice: { name: "f" },
        parallelToolCalls: false,
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 50,
        stop: ["END"],
        seed: 7,
        user: "user-1",
      },
      plain,
    );
    expect(body).toEqual({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      tools: [
        { type: "function", function: { name: "f", parameters: { type: "object" }, strict: true } },
      ],
      tool_choice: { type: "function", function: { name: "f" } },
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 50,
      stop: ["END"],
      seed: 7,
      user: "user-1",
    });
  });

  it.each([
    [{ type: "text" } as const, { type: "text" }],
    [{ type: "json" } as const, { type: "json_object" }],
    [
      {
        type: "json_schema",
        name: "answer",
        schema: { type: "object" },
        strict: true,
        description: "d",
      } as const,
      {
        type: "json_schema",
        json_schema: { name: "answer", schema: { type: "object" }, strict: true, description: "d" },
      },
    ],
  ])("maps response format %j", (responseFormat, expected) => {
    const body = mapChatRequest({ model: "m", messages: [], responseFormat }, plain);
    expect(body.response_format).toEqual(expected);
  });

  it("asks for usage in streams, and can leave it out", () => {
    const request: ChatRequest = { model: "m", messages: [] };
    expect(mapChatRequest(request, { ...plain, stream: true })).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    const without = mapChatRequest(request, { ...plain, stream: true, includeStreamUsage: false });
    expect(without.stream_options).toBeUndefined();
    expect(mapChatRequest(request, plain).stream).toBeUndefined();
  });

  it("uses max_tokens when told to (compatible servers)", () => {
    const body = mapChatRequest(
      { model: "m", messages: [], maxTokens: 9 },
      { ...plain, maxTokensField: "max_tokens" },
    );
    expect(body.max_tokens).toBe(9);
    expect(body.max_completion_tokens).toBeUndefined();
  });

  it("merges only its own providerOptions namespaces, later keys winning", () => {
    const body = mapChatRequest(
      {
        model: "m",
        messages: [],
        temperature: 1,
        providerOptions: {
          openai: { reasoning_effort: "low", temperature: 0.5 },
          anthropic: { top_k: 5 },
          groq: { temperature: 0.1 },
        },
      },
      { ...plain, providerOptionsKeys: ["openai", "groq"] },
    );
    expect(body).toMatchObject({ reasoning_effort: "low", temperature: 0.1 });
    expect(body.top_k).toBeUndefined();
  });
});

describe("mapEmbeddingsRequest", () => {
  it("maps input, dimensions, user and provider options", () => {
    expect(
      mapEmbeddingsRequest(
        {
          model: "text-embedding-3-small",
          input: ["a", "b"],
          dimensions: 256,
          user: "u",
          providerOptions: { openai: { encoding_format: "float", extra: 1 } },
        },
        ["openai"],
      ),
    ).toEqual({
      model: "text-embedding-3-small",
      input: ["a", "b"],
      encoding_format: "float",
      dimensions: 256,
      user: "u",
      extra: 1,
    });
  });
});
