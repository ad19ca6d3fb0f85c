import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatMessage, ChatRequest } from "../../llm/chat.js";
import { mapRequest } from "./map-request.js";

const options = { defaultMaxTokens: 4096, stream: false, provider: "claude" };
const request = (fields: Partial<ChatRequest>): ChatRequest => ({
  model: "claude-sonnet-4-5",
  messages: [{ role: "user", content: "Hi" }],
  ...fields,
});

describe("mapRequest", () => {
  it("sends the model, the turns and the default max_tokens", () => {
    expect(mapRequest(request({}), options)).toEqual({
      model: "claude-sonnet-4-5",
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: 4096,
    });
    expect(mapRequest(request({ maxTokens: 100 }), options).max_tokens).toBe(100);
    expect(mapRequest(request({}), { ...options, defaultMaxTokens: 512 }).max_tokens).toBe(512);
  });

  it("joins every system message into the system field, wherever it appears", () => {
    const body = mapRequest(
      request({
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Hi" },
          { role: "system", content: "Answer in French." },
          { role: "assistant", content: "Salut" },
        ],
      }),
      options,
    );
    expect(body.system).toBe("You are terse.\n\nAnswer in French.");
    expect(body.messages).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Salut" },
    ]);
  });

  it("merges consecutive turns of the same role into one", () => {
    const body = mapRequest(
      request({
        messages: [
          { role: "user", content: "First" },
          { role: "user", content: [{ type: "text", text: "Second" }] },
          { role: "assistant", content: "A" },
          { role: "assistant", content: "B" },
        ],
      }),
      options,
    );
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "First" },
          { type: "text", text: "Second" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "A" },
          { type: "text", text: "B" },
        ],
      },
    ]);
  });

  it("maps images with base64 and URL sources, and data URLs to base64", () => {
    const body = mapRequest(
      request({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Compare these" },
              { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBOR" } },
              { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
              { type: "image", source: { type: "url", url: "data:image/webp;base64,UklGR" } },
            ],
          },
        ],
      }),
      options,
    );
    expect(body.messages[0]?.content).toEqual([
      { type: "text", text: "Compare these" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBOR" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      { type: "image", source: { type: "base64", media_type: "image/webp", data: "UklGR" } },
    ]);
  });

  it("turns tool calls into tool_use blocks and tool messages into tool_result blocks", () => {
    const body = mapRequest(
      request({
        messages: [
          { role: "user", content: "Weather in Paris and the time?" },
          {
            role: "assistant",
            content: "Checking.",
            toolCalls: [
              { id: "toolu_1", name: "get_weather", arguments: '{"location":"Paris"}' },
              { id: "toolu_2", name: "get_time", arguments: "" },
            ],
          },
          { role: "tool", toolCallId: "toolu_1", content: "18C" },
          { role: "tool", toolCallId: "toolu_2", content: "14:05" },
          { role: "user", content: "Thanks" },
        ],
      }),
      options,
    );
    expect(body.messages).toEqual([
      { role: "user", content: "Weather in Paris and the time?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "toolu_1", name: "get_weather", input: { location: "Paris" } },
          { type: "tool_use", id: "toolu_2", name: "get_time", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: "18C" },
          { type: "tool_result", tool_use_id: "toolu_2", content: "14:05" },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  it("drops empty text, so an assistant turn with only tool calls has no text block", () => {
    const body = mapRequest(
      request({
        messages: [
          { role: "user", content: "Go" },
          {
            role: "assistant",
            content: null,
            toolCalls: [{ id: "t", name: "go", arguments: "{}" }],
          },
          { role: "assistant", content: "" },
        ],
      }),
      options,
    );
    expect(body.messages[1]).toEqual({
      role: "assistant",
      content: [{ type: "tool_use", id: "t", name: "go", input: {} }],
    });
    expect(body.messages).toHaveLength(2);
  });

  it("rejects tool call arguments that are not a JSON object, naming the call", () => {
    for (const bad of ["{not json", "[1,2]", "42"]) {
      const messages: ChatMessage[] = [
        {
          role: "assistant",
          content: null,
          toolCalls: [{ id: "toolu_9", name: "f", arguments: bad }],
        },
      ];
      let error: unknown;
      try {
        mapRequest(request({ messages }), options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: "invalid_request", provider: "claude" });
      expect((error as Error).message).toContain("toolu_9");
    }
  });

  it("maps tools and every tool choice", () => {
    const tools = [
      {
        name: "get_weather",
        description: "Weather by city",
        parameters: { type: "object", properties: { location: { type: "string" } } },
        strict: true,
      },
      { name: "get_time", parameters: { type: "object" } },
    ];
    const body = mapRequest(request({ tools }), options);
    expect(body.tools).toEqual([
      {
        name: "get_weather",
        description: "Weather by city",
        input_schema: { type: "object", properties: { location: { type: "string" } } },
        strict: true,
      },
      { name: "get_time", input_schema: { type: "object" } },
    ]);
    expect(body.tool_choice).toBeUndefined();
    const choice = (fields: Partial<ChatRequest>) =>
      mapRequest(request({ tools, ...fields }), options).tool_choice;
    expect(choice({ toolChoice: "auto" })).toEqual({ type: "auto" });
    expect(choice({ toolChoice: "required" })).toEqual({ type: "any" });
    expect(choice({ toolChoice: "none" })).toEqual({ type: "none" });
    expect(choice({ toolChoice: { name: "get_time" } })).toEqual({
      type: "tool",
      name: "get_time",
    });
    expect(choice({ parallelToolCalls: false })).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(choice({ toolChoice: "required", parallelToolCalls: false })).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
    expect(choice({ toolChoice: "none", parallelToolCalls: false })).toEqual({ type: "none" });
    // Without tools there is nothing to choose from: the choice is not sent.
    expect(mapRequest(request({ toolChoice: "required" }), options).tool_choice).toBeUndefined();
  });

  it("maps sampling, stop, user and structured output fields", () => {
    const schema = { type: "object", properties: { answer: { type: "string" } } };
    const body = mapRequest(
      request({
        temperature: 0.2,
        topP: 0.9,
        stop: ["END"],
        user: "user-42",
        seed: 7,
        responseFormat: { type: "json_schema", name: "answer", schema },
      }),
      options,
    );
    expect(body).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ["END"],
      metadata: { user_id: "user-42" },
      output_config: { format: { type: "json_schema", schema } },
    });
    expect(body).not.toHaveProperty("seed");
    const plain = mapRequest(request({ responseFormat: { type: "json" }, stop: [] }), options);
    expect(plain).not.toHaveProperty("output_config");
    expect(plain).not.toHaveProperty("stop_sequences");
  });

  it("merges providerOptions.anthropic over the body and ignores other vendors' options", () => {
    const body = mapRequest(
      request({
        maxTokens: 10,
        providerOptions: {
          anthropic: {
            top_k: 5,
            max_tokens: 20,
            thinking: { type: "enabled", budget_tokens: 1024 },
          },
          openai: { logprobs: true },
        },
      }),
      options,
    );
    expect(body).toMatchObject({ top_k: 5, max_tokens: 20, thinking: { budget_tokens: 1024 } });
    expect(body).not.toHaveProperty("logprobs");
  });

  it("sets stream only when streaming", () => {
    expect(mapRequest(request({}), { ...options, stream: true }).stream).toBe(true);
    expect(mapRequest(request({}), options)).not.toHaveProperty("stream");
  });

  it("always produces alternating roles, whatever the message sequence (property)", () => {
    const message = fc.oneof(
      fc.record({ role: fc.constant("user" as const), content: fc.string() }),
      fc.record({
        role: fc.constant("assistant" as const),
        content: fc.option(fc.string(), { nil: null }),
      }),
      fc.record({
        role: fc.constant("tool" as const),
        toolCallId: fc.string({ minLength: 1 }),
        content: fc.string(),
      }),
      fc.record({ role: fc.constant("system" as const), content: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 20 }), (messages) => {
        const body = mapRequest(request({ messages }), options);
        for (let i = 1; i < body.messages.length; i += 1) {
          expect(body.messages[i]?.role).not.toBe(body.messages[i - 1]?.role);
        }
        for (const turn of body.messages) {
          expect(turn.content.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
