import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMessagesRequest } from "./parse-messages-request.js";

function ok(body: unknown) {
  const result = parseMessagesRequest(body);
  if (!result.ok) throw new Error(`expected success, got ${result.error.message}`);
  return result.value;
}

function fail(body: unknown) {
  const result = parseMessagesRequest(body);
  if (result.ok) throw new Error("expected a validation error");
  return result.error;
}

const weatherTool = {
  name: "get_weather",
  description: "Get the current weather in a given location",
  input_schema: {
    type: "object",
    properties: { location: { type: "string", description: "The city and state" } },
    required: ["location"],
  },
};

describe("parseMessagesRequest: API reference examples", () => {
  it("basic request", () => {
    expect(
      ok({
        model: "claude-sonnet-4-20250514",
        max_tokens: 1024,
        messages: [{ role: "user", content: "Hello, world" }],
      }),
    ).toEqual({
      request: {
        model: "claude-sonnet-4-20250514",
        maxTokens: 1024,
        messages: [{ role: "user", content: "Hello, world" }],
      },
      stream: false,
    });
  });

  it("system prompt as text blocks, sampling, stop sequences, metadata and extras", () => {
    const parsed = ok({
      model: "claude-sonnet-4-20250514",
      max_tokens: 512,
      system: [
        { type: "text", text: "You are a pirate.", cache_control: { type: "ephemeral" } },
        { type: "text", text: "Be brief." },
      ],
      messages: [{ role: "user", content: "Hi" }],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      thinking: { type: "enabled", budget_tokens: 2048 },
      stop_sequences: ["\n\nHuman:"],
      metadata: { user_id: "13803d75-b4b5-4c3e-b2a2-6f21399b021b" },
      stream: true,
    });
    expect(parsed.stream).toBe(true);
    expect(parsed.request).toEqual({
      model: "claude-sonnet-4-20250514",
      maxTokens: 512,
      messages: [
        { role: "system", content: "You are a pirate.", cacheControl: { type: "ephemeral" } },
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      temperature: 0.5,
      topP: 0.9,
      stop: ["\n\nHuman:"],
      user: "13803d75-b4b5-4c3e-b2a2-6f21399b021b",
      reasoning: { budgetTokens: 2048, includeThoughts: true },
      providerOptions: { anthropic: { top_k: 40 } },
    });
  });

  it("tool use round trip: tool_use, tool_result with is_error, text after results", () => {
    const parsed = ok({
      model: "claude-sonnet-4-20250514",
      max_tokens: 1024,
      tools: [weatherTool],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      messages: [
        { role: "user", content: "What's the weather like in San Francisco?" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "Let me check.", signature: "sig" },
            { type: "text", text: "I'll check the weather." },
            {
              type: "tool_use",
              id: "toolu_01A09q90qw90lq917835lq9",
              name: "get_weather",
              input: { location: "San Francisco, CA" },
            },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_01A09q90qw90lq917835lq9",
              content: [{ type: "text", text: "15 degrees" }],
            },
            { type: "tool_result", tool_use_id: "toolu_other", content: "timeout", is_error: true },
            { type: "text", text: "Thanks!" },
          ],
        },
      ],
    });
    expect(parsed.request.toolChoice).toBe("required");
    expect(parsed.request.parallelToolCalls).toBe(false);
    expect(parsed.request.tools).toEqual([
      {
        name: "get_weather",
        description: "Get the current weather in a given location",
        parameters: weatherTool.input_schema,
      },
    ]);
    expect(parsed.request.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: "I'll check the weather.",
        toolCalls: [
          {
            id: "toolu_01A09q90qw90lq917835lq9",
            name: "get_weather",
            arguments: '{"location":"San Francisco, CA"}',
          },
        ],
        reasoning: [
          { type: "reasoning", origin: "anthropic", text: "Let me check.", signature: "sig" },
        ],
      },
      {
        role: "tool",
        toolCallId: "toolu_01A09q90qw90lq917835lq9",
        content: "15 degrees",
        name: "get_weather",
      },
      { role: "tool", toolCallId: "toolu_other", content: "timeout", isError: true },
      { role: "user", content: "Thanks!" },
    ]);
  });

  it("image blocks: base64 and url sources", () => {
    const parsed = ok({
      model: "m",
      max_tokens: 10,
      messages: [
        {
          role: "user",
          content: [
            {
              type: "image",
              source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" },
            },
            { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
            { type: "text", text: "Describe these." },
          ],
        },
      ],
    });
    expect(parsed.request.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "image", source: { type: "base64", mediaType: "image/jpeg", data: "/9j/4AAQ" } },
        { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
        { type: "text", text: "Describe these." },
      ],
    });
  });

  it.each([
    [{ type: "auto" }, "auto"],
    [{ type: "none" }, "none"],
    [{ type: "tool", name: "get_weather" }, { name: "get_weather" }],
  ])("tool_choice %j", (choice, expected) => {
    const parsed = ok({
      model: "m",
      max_tokens: 1,
      tools: [weatherTool],
      tool_choice: choice,
      messages: [{ role: "user", content: "x" }],
    });
    expect(parsed.request.toolChoice).toEqual(expected);
    expect(parsed.request.parallelToolCalls).toBeUndefined();
  });
});

describe("parseMessagesRequest: errors", () => {
  const messages = [{ role: "user", content: "x" }];
  it.each([
    [{ model: "m", messages }, "max_tokens: Field required"],
    [{ max_tokens: 1, messages }, "model: Field required"],
    [{ model: "m", max_tokens: 0, messages }, "max_tokens: must be at least 1"],
    [{ model: "m", max_tokens: 1, messages: [] }, "messages: must have at least 1 item(s)"],
    [
      { model: "m", max_tokens: 1, messages: [{ role: "system", content: "x" }] },
      "messages.0.role",
    ],
    [{ model: "m", max_tokens: 1, messages, temperature: 1.5 }, "temperature: must be at most 1"],
    [
      {
        model: "m",
        max_tokens: 1,
        messages: [{ role: "user", content: [{ type: "container_upload" }] }],
      },
      "messages.0.content.0.type: expected one of",
    ],
    [
      {
        model: "m",
        max_tokens: 1,
        messages: [
          { role: "user", content: [{ type: "image", source: { type: "file", file_id: "f" } }] },
        ],
      },
      "messages.0.content.0.source.type",
    ],
    [
      {
        model: "m",
        max_tokens: 1,
        messages: [
          { role: "user", content: [{ type: "tool_use", id: "t", name: "n", input: {} }] },
        ],
      },
      "messages.0.content.0.type: 'tool_use' blocks are only allowed in assistant messages",
    ],
    [
      {
        model: "m",
        max_tokens: 1,
        messages: [
          {
            role: "user",
            content: [
              {
                type: "document",
                source: { type: "text", media_type: "text/plain", data: "x" },
                citations: { enabled: true },
              },
            ],
          },
        ],
      },
      "messages.0.content.0.citations: citations have no counterpart",
    ],
    [
      {
        model: "m",
        max_tokens: 1,
        messages,
        tools: [{ type: "web_search_20250305", name: "web_search" }],
      },
      "tools.0.type: server tool 'web_search_20250305'",
    ],
    [
      { model: "m", max_tokens: 1, messages, tools: [{ name: "f" }] },
      "tools.0.input_schema: Field required",
    ],
  ])("%j -> %s", (body, text) => {
    const error = fail(body);
    expect(error.status).toBe(400);
    expect(error.message).toContain(text);
  });

  it("never throws on arbitrary JSON", () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({
        model: fc.string(),
        max_tokens: fc.integer(),
        messages: fc.array(
          fc.record({ role: fc.constantFrom("user", "assistant"), content: fc.jsonValue() }),
        ),
      }),
    );
    fc.assert(
      fc.property(body, (value) => {
        const result = parseMessagesRequest(value);
        if (!result.ok) expect(result.error.status).toBe(400);
      }),
    );
  });
});
