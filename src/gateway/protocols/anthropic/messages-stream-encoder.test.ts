import { describe, expect, it } from "vitest";
import { StreamInterruptedError } from "../../../errors/stream-interrupted-error.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { createMessagesStreamEncoder } from "./messages-stream-encoder.js";

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function events(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((frame) => frame !== "")
    .map((frame) => {
      const match = /^event: ([a-z_]+)\ndata: (.*)$/s.exec(frame);
      if (match === null) throw new Error(`bad frame: ${frame}`);
      const data = JSON.parse(match[2] ?? "") as Record<string, unknown>;
      expect(data.type).toBe(match[1]);
      return { event: match[1] ?? "", data };
    });
}

function encodeAll(parts: ChatStreamPart[]): SseEvent[] {
  const encoder = createMessagesStreamEncoder();
  let out = "";
  for (const part of parts) out += encoder.encode(part);
  return events(out + encoder.end());
}

function startMessage(stream: SseEvent[]): Record<string, unknown> {
  const message = stream[0]?.data.message;
  if (typeof message !== "object" || message === null) throw new Error("no message_start");
  return message as Record<string, unknown>;
}

const usage = { inputTokens: 472, outputTokens: 89, cachedInputTokens: 72, totalTokens: 561 };

describe("createMessagesStreamEncoder", () => {
  it("encodes text then a tool call as ordered blocks", () => {
    const stream = encodeAll([
      { type: "response-metadata", id: "chatcmpl-9", model: "gpt-4o" },
      { type: "text-delta", text: "Okay, let me check" },
      { type: "text-delta", text: "." },
      { type: "tool-call-delta", index: 0, id: "call_1", name: "get_weather", argumentsDelta: "" },
      { type: "tool-call-delta", index: 0, argumentsDelta: '{"location":' },
      { type: "tool-call-delta", index: 0, argumentsDelta: ' "San Francisco, CA"}' },
      { type: "finish", finishReason: "tool_calls", rawFinishReason: "tool_calls" },
      { type: "usage", usage },
    ]);
    expect(stream.map((item) => item.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(stream[0]?.data.message).toEqual({
      id: "msg_chatcmpl-9",
      type: "message",
      role: "assistant",
      model: "gpt-4o",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(stream[1]?.data).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    });
    expect(stream[2]?.data).toEqual({
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text: "Okay, let me check" },
    });
    expect(stream[5]?.data).toEqual({
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "call_1", name: "get_weather", input: {} },
    });
    expect(stream[7]?.data).toEqual({
      type: "content_block_delta",
      index: 1,
      delta: { type: "input_json_delta", partial_json: ' "San Francisco, CA"}' },
    });
    expect(stream[9]?.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: {
        output_tokens: 89,
        input_tokens: 400,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 72,
      },
    });
  });

  it("fills message_start usage when usage arrives before the first block", () => {
    const stream = encodeAll([
      { type: "usage", usage },
      { type: "text-delta", text: "x" },
    ]);
    expect(startMessage(stream).usage).toMatchObject({
      input_tokens: 400,
      cache_read_input_tokens: 72,
      output_tokens: 0,
    });
  });

  it("gives an empty stream one empty text block and end_turn", () => {
    const stream = encodeAll([]);
    expect(stream.map((item) => item.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(stream[3]?.data.delta).toEqual({ stop_reason: "end_turn", stop_sequence: null });
    expect(startMessage(stream).id).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it("maps max length and passes vendor stop reasons through", () => {
    const lengthStream = encodeAll([
      { type: "text-delta", text: "a" },
      { type: "finish", finishReason: "length", rawFinishReason: "length" },
    ]);
    expect(lengthStream.at(-2)?.data.delta).toMatchObject({ stop_reason: "max_tokens" });
    const pause = encodeAll([
      { type: "text-delta", text: "a" },
      { type: "finish", finishReason: "stop", rawFinishReason: "pause_turn" },
    ]);
    expect(pause.at(-2)?.data.delta).toMatchObject({ stop_reason: "pause_turn" });
  });

  it("opens a new text block after a tool block", () => {
    const stream = encodeAll([
      { type: "tool-call-delta", index: 0, id: "t1", name: "a", argumentsDelta: "{}" },
      { type: "text-delta", text: "after" },
    ]);
    const starts = stream.filter((item) => item.event === "content_block_start");
    expect(starts.map((item) => item.data.index)).toEqual([0, 1]);
    expect(stream.at(-2)?.data.delta).toMatchObject({ stop_reason: "tool_use" });
  });

  it("ends a failed stream with an error event and no message_stop", () => {
    const encoder = createMessagesStreamEncoder({ model: "smart", id: "msg_fixed" });
    let out = encoder.encode({ type: "text-delta", text: "partial" });
    out += encoder.fail(new StreamInterruptedError("main", 1, new Error("reset")));
    const stream = events(out);
    expect(stream.at(-1)).toEqual({
      event: "error",
      data: {
        type: "error",
        error: {
          type: "api_error",
          message: "the upstream stream from main was interrupted after 1 chunk(s)",
          details: { error_code: "stream_interrupted" },
        },
      },
    });
    expect(stream.some((item) => item.event === "message_stop")).toBe(false);
    expect(startMessage(stream).id).toBe("msg_fixed");
    expect(encoder.end()).toBe("");
    expect(encoder.ping()).toBe("");
  });

  it("ping is the vendor's keep-alive event", () => {
    expect(events(createMessagesStreamEncoder().ping())).toEqual([
      { event: "ping", data: { type: "ping" } },
    ]);
  });
});
