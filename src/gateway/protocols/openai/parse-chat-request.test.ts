import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseChatRequest } from "./parse-chat-request.js";

function ok(body: unknown) {
  const result = parseChatRequest(body);
  if (!result.ok) throw new Error(`expected success, got ${result.error.message}`);
  return result.value;
}

function fail(body: unknown) {
  const result = parseChatRequest(body);
  if (result.ok) throw new Error("expected a validation error");
  return result.error;
}

const user = [{ role: "user", content: "Hello!" }];

describe("parseChatRequest: API reference examples", () => {
  it("default example with a developer message", () => {
    const parsed = ok({
      model: "gpt-4.1",
      messages: [
        { role: "developer", content: "You are a helpful assistant." },
        { role: "user", content: "Hello!" },
      ],
    });
    expect(parsed).toEqual({
      request: {
        model: "gpt-4.1",
        messages: [
          { role: "system", content: "You are a helpful assistant." },
          { role: "user", content: "Hello!" },
        ],
      },
      stream: false,
      includeUsage: false,
    });
  });

  it("image input example: http URL, data URL and detail", () => {
    const parsed = ok({
      model: "gpt-4.1",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image?" },
            {
              type: "image_url",
              image_url: {
                url: "https://upload.wikimedia.org/wikipedia/commons/boardwalk.jpg",
                detail: "high",
              },
            },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          ],
        },
      ],
      max_tokens: 300,
    });
    expect(parsed.request.maxTokens).toBe(300);
    expect(parsed.request.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "What is in this image?" },
        {
          type: "image",
          source: {
            type: "url",
            url: "https://upload.wikimedia.org/wikipedia/commons/boardwalk.jpg",
          },
          detail: "high",
        },
        { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" } },
      ],
    });
  });

  it("functions example: tools, tool_choice and a tool round trip", () => {
    const parsed = ok({
      model: "gpt-4.1",
      messages: [
        { role: "user", content: "What is the weather like in Boston today?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_abc123",
              type: "function",
              function: { name: "get_current_weather", arguments: '{"location":"Boston, MA"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_abc123", content: [{ type: "text", text: "22 C" }] },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "get_current_weather",
            description: "Get the current weather in a given location",
            parameters: {
              type: "object",
              properties: {
                location: { type: "string" },
                unit: { type: "string", enum: ["celsius", "fahrenheit"] },
              },
              required: ["location"],
            },
          },
        },
        { type: "function", function: { name: "no_params" } },
      ],
      tool_choice: "auto",
      parallel_tool_calls: false,
    });
    expect(parsed.request.toolChoice).toBe("auto");
    expect(parsed.request.parallelToolCalls).toBe(false);
    expect(parsed.request.tools?.[0]?.name).toBe("get_current_weather");
    expect(parsed.request.tools?.[1]?.parameters).toEqual({ type: "object", properties: {} });
    expect(parsed.request.messages[1]).toEqual({
      role: "assistant",
      content: null,
      toolCalls: [
        { id: "call_abc123", name: "get_current_weather", arguments: '{"location":"Boston, MA"}' },
      ],
    });
    expect(parsed.request.messages[2]).toEqual({
      role: "tool",
      toolCallId: "call_abc123",
      content: "22 C",
      name: "get_current_weather",
    });
  });

  it("streaming example with usage", () => {
    const parsed = ok({
      model: "gpt-4.1",
      messages: user,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(parsed.stream).toBe(true);
    expect(parsed.includeUsage).toBe(true);
    expect(
      ok({ model: "m", messages: user, stream_options: { include_usage: true } }),
    ).toMatchObject({ stream: false, includeUsage: false });
  });

  it("logprobs example: unknown top-level fields go to providerOptions.openai", () => {
    const parsed = ok({
      model: "gpt-4.1",
      messages: user,
      logprobs: true,
      top_logprobs: 2,
      frequency_penalty: 0.5,
    });
    expect(parsed.request.providerOptions).toEqual({
      openai: { logprobs: true, top_logprobs: 2, frequency_penalty: 0.5 },
    });
  });
});

describe("parseChatRequest: parameters", () => {
  it("maps sampling and limits, preferring max_completion_tokens", () => {
    const parsed = ok({
      model: "m",
      messages: user,
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 10,
      max_completion_tokens: 20,
      stop: "END",
      seed: 7,
      user: "user-1",
      n: 1,
    });
    expect(parsed.request).toMatchObject({
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 20,
      stop: ["END"],
      seed: 7,
      user: "user-1",
    });
    expect(ok({ model: "m", messages: user, stop: ["a", "b"] }).request.stop).toEqual(["a", "b"]);
  });

  it("accepts explicit nulls for optional parameters", () => {
    const parsed = ok({
      model: "m",
      messages: user,
      temperature: null,
      tools: null,
      stop: null,
      n: null,
      stream: null,
      stream_options: null,
    });
    expect(parsed.request).toEqual({ model: "m", messages: [{ role: "user", content: "Hello!" }] });
  });

  it("maps response formats and a forced function", () => {
    expect(
      ok({ model: "m", messages: user, response_format: { type: "json_object" } }).request
        .responseFormat,
    ).toEqual({ type: "json" });
    expect(
      ok({
        model: "m",
        messages: user,
        response_format: {
          type: "json_schema",
          json_schema: { name: "answer", schema: { type: "object" }, strict: true },
        },
      }).request.responseFormat,
    ).toEqual({ type: "json_schema", name: "answer", schema: { type: "object" }, strict: true });
    expect(
      ok({
        model: "m",
        messages: user,
        tool_choice: { type: "function", function: { name: "f" } },
      }).request.toolChoice,
    ).toEqual({ name: "f" });
  });

  it("joins system text parts and assistant refusal parts", () => {
    const parsed = ok({
      model: "m",
      messages: [
        {
          role: "system",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
        { role: "assistant", content: [{ type: "refusal", refusal: "no" }] },
        { role: "user", content: "x" },
      ],
    });
    expect(parsed.request.messages.slice(0, 2)).toEqual([
      { role: "system", content: "a\nb" },
      { role: "assistant", content: "no" },
    ]);
  });
});

describe("parseChatRequest: errors name the parameter", () => {
  it.each([
    [{ messages: user }, "model", "Missing required parameter: 'model'."],
    [{ model: "m" }, "messages", "Missing required parameter: 'messages'."],
    [{ model: "m", messages: [] }, "messages", "must have at least 1 item"],
    [{ model: "m", messages: [{ role: "bot", content: "x" }] }, "messages[0].role", "got 'bot'"],
    [{ model: "m", messages: [{ role: "user", content: 5 }] }, "messages[0].content", "a string"],
    [
      { model: "m", messages: [{ role: "user", content: [{ type: "video" }] }] },
      "messages[0].content[0].type",
      "'video'",
    ],
    [
      {
        model: "m",
        messages: [
          { role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x" } }] },
        ],
      },
      "messages[0].content[0].image_url.url",
      "http(s) URL",
    ],
    [
      {
        model: "m",
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "data:image/png,abc" } }],
          },
        ],
      },
      "messages[0].content[0].image_url.url",
      "data URL",
    ],
    [{ model: "m", messages: user, temperature: 3 }, "temperature", "at most 2"],
    [{ model: "m", messages: user, max_tokens: 0 }, "max_tokens", "at least 1"],
    [{ model: "m", messages: user, n: 3 }, "n", "only n=1"],
    [{ model: "m", messages: user, tool_choice: "sometimes" }, "tool_choice", "'sometimes'"],
    [
      { model: "m", messages: user, tools: [{ type: "custom", custom: { name: "x" } }] },
      "tools[0].type",
      "'custom'",
    ],
    [
      { model: "m", messages: [{ role: "tool", content: "x" }] },
      "messages[0].tool_call_id",
      "Missing",
    ],
  ])("%j -> %s", (body, param, text) => {
    const error = fail(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(text);
  });

  it("rejects a body that is not an object", () => {
    for (const body of [null, [], "x", 3]) expect(fail(body).status).toBe(400);
  });
});

describe("parseChatRequest: properties", () => {
  it("never throws on arbitrary JSON, and every error is a 400 with a message", () => {
    const arbitraryBody = fc.oneof(
      fc.jsonValue(),
      fc.record({ model: fc.jsonValue(), messages: fc.jsonValue() }, { requiredKeys: [] }),
      fc.record({
        model: fc.string(),
        messages: fc.array(fc.record({ role: fc.string(), content: fc.jsonValue() })),
      }),
    );
    fc.assert(
      fc.property(arbitraryBody, (body) => {
        const result = parseChatRequest(body);
        if (!result.ok) {
          expect(result.error.status).toBe(400);
          expect(result.error.message.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("keeps message text verbatim in order", () => {
    const message = fc.record({
      role: fc.constantFrom("user", "system", "developer", "assistant"),
      content: fc.string(),
    });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), (messages) => {
        const parsed = ok({ model: "m", messages });
        expect(parsed.request.messages.map((item) => item.content)).toEqual(
          messages.map((item) => item.content),
        );
      }),
    );
  });
});
