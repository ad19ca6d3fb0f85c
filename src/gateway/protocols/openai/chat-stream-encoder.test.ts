import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../errors/provider-error.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { createChatStreamEncoder } from "./chat-stream-encoder.js";

/** Splits SSE text into its `data:` payloads, checking the framing. */
function dataLines(text: string): string[] {
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .split("\n\n")
    .filter((frame) => frame !== "")
    .map((frame) => {
      expect(frame.startsWith("data: ")).toBe(true);
      return frame.slice("data: ".length);
    });
}

function encodeAll(parts: ChatStreamPart[], includeUsage: boolean, fixed = true): string {
  const encoder = createChatStreamEncoder({
    includeUsage,
    ...(fixed ? { created: 1700000000 } : {}),
  });
  let out = "";
  for (const part of parts) out += encoder.encode(part);
  return out + encoder.end();
}

const usage = { inputTokens: 12, outputTokens: 5, cachedInputTokens: 4, totalTokens: 17 };

describe("createChatStreamEncoder", () => {
  it("encodes a text stream with a stable envelope, role first, finish, usage, [DONE]", () => {
    const out = encodeAll(
      [
        { type: "response-metadata", id: "abc", model: "gpt-4o-mini" },
        { type: "text-delta", text: "Hel" },
        { type: "text-delta", text: 'lo "world"\n' },
        { type: "finish", finishReason: "stop", rawFinishReason: "stop" },
        { type: "usage", usage },
      ],
      true,
    );
    const lines = dataLines(out);
    expect(lines[lines.length - 1]).toBe("[DONE]");
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(chunks).toEqual([
      {
        id: "chatcmpl-abc",
        object: "chat.completion.chunk",
        created: 1700000000,
        model: "gpt-4o-mini",
        choices: [
          {
            index: 0,
            delta: { role: "assistant", content: "Hel" },
            logprobs: null,
            finish_reason: null,
          },
        ],
        usage: null,
      },
      {
        id: "chatcmpl-abc",
        object: "chat.completion.chunk",
        created: 1700000000,
        model: "gpt-4o-mini",
        choices: [
          { index: 0, delta: { content: 'lo "world"\n' }, logprobs: null, finish_reason: null },
        ],
        usage: null,
      },
      {
        id: "chatcmpl-abc",
        object: "chat.completion.chunk",
        created: 1700000000,
        model: "gpt-4o-mini",
        choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }],
        usage: null,
      },
      {
        id: "chatcmpl-abc",
        object: "chat.completion.chunk",
        created: 1700000000,
        model: "gpt-4o-mini",
        choices: [],
        usage: {
          prompt_tokens: 12,
          completion_tokens: 5,
          total_tokens: 17,
          prompt_tokens_details: { cached_tokens: 4 },
        },
      },
    ]);
  });

  it("leaves out usage entirely without include_usage", () => {
    const out = encodeAll(
      [
        { type: "text-delta", text: "x" },
        { type: "usage", usage },
        { type: "finish", finishReason: "length", rawFinishReason: "max_tokens" },
      ],
      false,
    );
    const chunks = dataLines(out)
      .slice(0, -1)
      .map((line) => JSON.parse(line));
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) expect(chunk).not.toHaveProperty("usage");
    expect(chunks[1].choices[0].finish_reason).toBe("length");
  });

  it("encodes tool-call deltas: id, type and name once per index, then arguments", () => {
    const out = encodeAll(
      [
        {
          type: "tool-call-delta",
          index: 0,
          id: "call_1",
          name: "get_weather",
          argumentsDelta: "",
        },
        { type: "tool-call-delta", index: 0, argumentsDelta: '{"city":' },
        { type: "tool-call-delta", index: 0, argumentsDelta: '"Paris"}' },
        { type: "tool-call-delta", index: 1, id: "call_2", name: "get_time", argumentsDelta: "{}" },
        { type: "finish", finishReason: "tool_calls", rawFinishReason: "tool_use" },
      ],
      false,
    );
    const deltas = dataLines(out)
      .slice(0, -1)
      .map((line) => JSON.parse(line).choices[0]);
    expect(deltas.map((choice) => choice.delta)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: "" },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {
        tool_calls: [
          {
            index: 1,
            id: "call_2",
            type: "function",
            function: { name: "get_time", arguments: "{}" },
          },
        ],
      },
      {},
    ]);
    expect(deltas[4].finish_reason).toBe("tool_calls");
  });

  it("owes a role chunk and a finish chunk to an empty stream", () => {
    const chunks = dataLines(encodeAll([], true))
      .slice(0, -1)
      .map((line) => JSON.parse(line));
    expect(chunks.map((chunk) => chunk.choices[0])).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: "stop" },
    ]);
    expect(chunks[0].id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(chunks[1].id).toBe(chunks[0].id);
  });

  it("uses the options' id and model over the upstream's", () => {
    const encoder = createChatStreamEncoder({
      includeUsage: false,
      id: "chatcmpl-mine",
      model: "smart",
    });
    encoder.encode({ type: "response-metadata", id: "up", model: "claude-x" });
    const chunk = JSON.parse(dataLines(encoder.encode({ type: "text-delta", text: "a" }))[0] ?? "");
    expect(chunk.id).toBe("chatcmpl-mine");
    expect(chunk.model).toBe("smart");
  });

  it("ends a failed stream with an error object and no [DONE]", () => {
    const encoder = createChatStreamEncoder({ includeUsage: true });
    encoder.encode({ type: "text-delta", text: "partial" });
    const out = encoder.encode({
      type: "error",
      error: new ProviderError("overloaded", { kind: "transient", provider: "main", status: 529 }),
    });
    expect(out).not.toContain("[DONE]");
    const body = JSON.parse(dataLines(out)[0] ?? "");
    expect(body.error).toMatchObject({ type: "server_error", code: "upstream_error" });
    expect(body.error.message).toContain("main");
    expect(encoder.finished).toBe(true);
    expect(encoder.end()).toBe("");
    expect(encoder.encode({ type: "text-delta", text: "late" })).toBe("");
  });

  it("ignores empty text deltas after the first chunk and offers a keep-alive comment", () => {
    const encoder = createChatStreamEncoder({ includeUsage: false });
    expect(encoder.encode({ type: "text-delta", text: "a" })).not.toBe("");
    expect(encoder.encode({ type: "text-delta", text: "" })).toBe("");
    expect(encoder.keepAlive()).toBe(": keep-alive\n\n");
  });

  it("sends each text exactly once, in order, for any split", () => {
    const texts = ["", "a", "ü", "\u2028", '"', "\\", "😀", "line\nbreak"];
    const out = encodeAll(
      texts.map((text) => ({ type: "text-delta", text })),
      false,
      false,
    );
    const joined = dataLines(out)
      .slice(0, -1)
      .map((line) => JSON.parse(line).choices[0].delta.content ?? "")
      .join("");
    expect(joined).toBe(texts.join(""));
  });
});
