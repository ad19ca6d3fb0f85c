import { describe, expect, it } from "vitest";
import type { ChatResult } from "../../../llm/chat.js";
import { renderChatResponse } from "./render-chat-response.js";

const base: ChatResult = {
  id: "msg_01",
  model: "claude-sonnet-4",
  adapterType: "anthropic",
  text: "Hello there!",
  toolCalls: [],
  finishReason: "stop",
  rawFinishReason: "end_turn",
  usage: { inputTokens: 20, outputTokens: 5, cachedInputTokens: 8, totalTokens: 25 },
};

describe("renderChatResponse", () => {
  it("renders a chat.completion with usage and cached tokens", () => {
    expect(renderChatResponse(base, { created: 1700000000 })).toEqual({
      id: "chatcmpl-msg_01",
      object: "chat.completion",
      created: 1700000000,
      model: "claude-sonnet-4",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello there!", refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 20,
        completion_tokens: 5,
        total_tokens: 25,
        prompt_tokens_details: { cached_tokens: 8 },
      },
    });
  });

  it("renders tool calls with null content, and keeps an existing chatcmpl- id", () => {
    const completion = renderChatResponse(
      {
        ...base,
        id: "chatcmpl-xyz",
        text: "",
        toolCalls: [{ id: "toolu_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
        finishReason: "tool_calls",
        usage: undefined,
      },
      { model: "smart" },
    );
    expect(completion.id).toBe("chatcmpl-xyz");
    expect(completion.model).toBe("smart");
    expect(completion.choices[0].message).toEqual({
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: "toolu_1",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        },
      ],
    });
    expect(completion.choices[0].finish_reason).toBe("tool_calls");
    expect(completion).not.toHaveProperty("usage");
    expect(Number.isInteger(completion.created)).toBe(true);
  });

  it.each([
    ["length", "length"],
    ["content_filter", "content_filter"],
    ["error", "stop"],
  ] as const)("finish reason %s -> %s", (reason, expected) => {
    expect(renderChatResponse({ ...base, finishReason: reason }).choices[0].finish_reason).toBe(
      expected,
    );
  });
});
