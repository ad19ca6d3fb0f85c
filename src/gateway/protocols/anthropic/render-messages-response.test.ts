import { describe, expect, it } from "vitest";
import type { ChatResult } from "../../../llm/chat.js";
import { parseToolInput, renderMessagesResponse } from "./render-messages-response.js";

const base: ChatResult = {
  id: "chatcmpl-123",
  model: "gpt-4o",
  adapterType: "openai",
  text: "Hi! My name is Claude.",
  toolCalls: [],
  finishReason: "stop",
  rawFinishReason: "stop",
  usage: { inputTokens: 2095, outputTokens: 503, cachedInputTokens: 95, totalTokens: 2598 },
};

describe("renderMessagesResponse", () => {
  it("renders a message object", () => {
    expect(renderMessagesResponse(base)).toEqual({
      id: "msg_chatcmpl-123",
      type: "message",
      role: "assistant",
      model: "gpt-4o",
      content: [{ type: "text", text: "Hi! My name is Claude." }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 2000,
        output_tokens: 503,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 95,
      },
    });
  });

  it("renders tool_use blocks with parsed input after the text", () => {
    const message = renderMessagesResponse(
      {
        ...base,
        id: "msg_01",
        text: "Checking.",
        toolCalls: [
          { id: "call_1", name: "get_weather", arguments: '{"location":"Paris"}' },
          { id: "call_2", name: "noop", arguments: "" },
        ],
        finishReason: "tool_calls",
        rawFinishReason: "tool_calls",
      },
      { model: "smart" },
    );
    expect(message.id).toBe("msg_01");
    expect(message.model).toBe("smart");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "Checking." },
      { type: "tool_use", id: "call_1", name: "get_weather", input: { location: "Paris" } },
      { type: "tool_use", id: "call_2", name: "noop", input: {} },
    ]);
  });

  it("omits an empty text block when there are tool calls, keeps it otherwise", () => {
    const withTools = renderMessagesResponse({
      ...base,
      text: "",
      toolCalls: [{ id: "t", name: "f", arguments: "{}" }],
    });
    expect(withTools.content.map((block) => block.type)).toEqual(["tool_use"]);
    expect(renderMessagesResponse({ ...base, text: "" }).content).toEqual([
      { type: "text", text: "" },
    ]);
  });

  it.each([
    ["length", "length", "max_tokens"],
    ["content_filter", "content_filter", "refusal"],
    ["stop", "stop_sequence", "stop_sequence"],
    ["stop", "pause_turn", "pause_turn"],
    ["stop", "STOP", "end_turn"],
    ["error", null, "end_turn"],
  ] as const)("finish %s (raw %s) -> %s", (reason, raw, expected) => {
    expect(
      renderMessagesResponse({ ...base, finishReason: reason, rawFinishReason: raw }).stop_reason,
    ).toBe(expected);
  });

  it("zero usage when unknown", () => {
    expect(renderMessagesResponse({ ...base, usage: undefined }).usage.input_tokens).toBe(0);
  });

  it("parseToolInput keeps what is not a JSON object", () => {
    expect(parseToolInput('{"a":1}')).toEqual({ a: 1 });
    expect(parseToolInput("  ")).toEqual({});
    expect(parseToolInput("[1]")).toEqual({ _raw_arguments: "[1]" });
    expect(parseToolInput("{bad")).toEqual({ _raw_arguments: "{bad" });
  });
});
