import { describe, expect, it } from "vitest";
import type { ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { ANTHROPIC_REASONING_ORIGIN } from "../../providers/anthropic/map-reasoning.js";
import {
  CHAT_REASONING_ORIGIN,
  RESPONSES_REASONING_ORIGIN,
} from "../../providers/openai/map-reasoning.js";
import { createMessagesStreamEncoder } from "./anthropic/messages-stream-encoder.js";
import { messagesWire } from "./anthropic/messages-wire.js";
import { parseMessagesRequest } from "./anthropic/parse-messages-request.js";
import { renderMessagesResponse } from "./anthropic/render-messages-response.js";
import { createChatStreamEncoder } from "./openai/chat-stream-encoder.js";
import { parseChatRequest } from "./openai/parse-chat-request.js";
import { renderChatResponse } from "./openai/render-chat-response.js";
import { REASONING_ORIGIN } from "./reasoning-origin.js";
import { parseResponsesRequest, toChatRequest } from "./responses/parse-responses-request.js";
import { outputItems, responseShell, toResponsesUsage } from "./responses/render-response.js";
import { ResponsesStreamEncoder } from "./responses/responses-stream-encoder.js";

const result = (fields: Partial<ChatResult>): ChatResult => ({
  id: "r1",
  model: "m",
  adapterType: "test",
  text: "4",
  toolCalls: [],
  finishReason: "stop",
  rawFinishReason: null,
  usage: { inputTokens: 5, outputTokens: 20, cachedInputTokens: 0, totalTokens: 25 },
  ...fields,
});

const anthropicThought = {
  type: "reasoning" as const,
  origin: "anthropic",
  text: "2+2",
  signature: "sig",
};
const geminiThought = { type: "reasoning" as const, origin: "gemini", text: "hm", signature: "g" };

/** The `data:` payloads of SSE text, parsed. */
function events(sse: string): Record<string, unknown>[] {
  return sse
    .split("\n")
    .filter((line) => line.startsWith("data: {"))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

describe("reasoning origins", () => {
  it("are the adapters' own names", () => {
    expect(REASONING_ORIGIN.messages).toBe(ANTHROPIC_REASONING_ORIGIN);
    expect(REASONING_ORIGIN.chat).toBe(CHAT_REASONING_ORIGIN);
    expect(REASONING_ORIGIN.responses).toBe(RESPONSES_REASONING_ORIGIN);
  });
});

describe("Chat Completions clients", () => {
  it("read reasoning_effort and an assistant's reasoning_content", () => {
    const parsed = parseChatRequest({
      model: "m",
      reasoning_effort: "low",
      messages: [
        { role: "user", content: "2+2?" },
        { role: "assistant", content: "4", reasoning_content: "adding" },
        { role: "user", content: "and 3+3?" },
      ],
    });
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value.request.reasoning).toEqual({ effort: "low" });
    expect(parsed.value.request.providerOptions).toBeUndefined();
    expect(parsed.value.request.messages[1]).toEqual({
      role: "assistant",
      content: "4",
      reasoning: [{ type: "reasoning", origin: "openai-chat", text: "adding" }],
    });
  });

  it("get reasoning of any origin as reasoning_content, and reasoning tokens", () => {
    const completion = renderChatResponse(
      result({
        reasoning: [anthropicThought, geminiThought],
        usage: {
          inputTokens: 5,
          outputTokens: 20,
          cachedInputTokens: 0,
          reasoningTokens: 12,
          totalTokens: 25,
        },
      }),
    );
    expect(completion.choices[0].message.reasoning_content).toBe("2+2\n\nhm");
    expect(completion.usage?.completion_tokens_details).toEqual({ reasoning_tokens: 12 });
    expect(renderChatResponse(result({})).choices[0].message).not.toHaveProperty(
      "reasoning_content",
    );
  });

  it("stream reasoning as reasoning_content deltas", () => {
    const encoder = createChatStreamEncoder({ includeUsage: false });
    const text =
      encoder.encode({ type: "response-metadata", id: "c1", model: "m" }) +
      encoder.encode({ type: "reasoning-delta", origin: "gemini", text: "hm" }) +
      encoder.encode({ type: "reasoning-delta", origin: "anthropic", text: "", signature: "s" }) +
      encoder.encode({ type: "text-delta", text: "4" }) +
      encoder.end();
    const deltas = events(text).map(
      (chunk) => (chunk.choices as { delta: Record<string, unknown> }[])[0]?.delta,
    );
    expect(deltas.slice(0, 2)).toEqual([
      { role: "assistant", reasoning_content: "hm" },
      { content: "4" },
    ]);
  });
});

describe("Messages clients", () => {
  const base = { model: "m", max_tokens: 4000, messages: [{ role: "user", content: "Hi" }] };
  const reasoningOf = (fields: Record<string, unknown>) => {
    const parsed = parseMessagesRequest({ ...base, ...fields });
    if (!parsed.ok) throw parsed.error;
    return parsed.value.request.reasoning;
  };

  it("read thinking: enabled, disabled and adaptive with its effort", () => {
    expect(reasoningOf({ thinking: { type: "enabled", budget_tokens: 3000 } })).toEqual({
      budgetTokens: 3000,
      includeThoughts: true,
    });
    expect(reasoningOf({ thinking: { type: "disabled" } })).toEqual({ effort: "none" });
    expect(
      reasoningOf({ thinking: { type: "adaptive" }, output_config: { effort: "max" } }),
    ).toEqual({ effort: "xhigh", includeThoughts: true });
    expect(reasoningOf({ thinking: { type: "adaptive", display: "omitted" } })).toEqual({
      effort: "high",
      includeThoughts: false,
    });
    expect(reasoningOf({})).toBeUndefined();
  });

  it("refuse a thinking setting they do not know in a way a pass-through target may still take", () => {
    const parsed = parseMessagesRequest({ ...base, thinking: { type: "someday" } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.param).toMatch(/^thinking/);
    expect(messagesWire.passable(parsed.error)).toBe(true);
  });

  it("send thinking back as Anthropic's when signed, unsigned otherwise, redacted as opaque", () => {
    const parsed = parseMessagesRequest({
      ...base,
      messages: [
        { role: "user", content: "Hi" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "a", signature: "s" },
            { type: "thinking", thinking: "b", signature: "" },
            { type: "redacted_thinking", data: "r" },
            { type: "text", text: "Hello" },
          ],
        },
      ],
    });
    if (!parsed.ok) throw parsed.error;
    expect(parsed.value.request.messages[1]).toMatchObject({
      reasoning: [
        { origin: "anthropic", text: "a", signature: "s" },
        { origin: "unsigned", text: "b" },
        { origin: "anthropic", text: "", opaque: "r" },
      ],
    });
  });

  it("get thinking blocks first: signed when Anthropic's, with an empty signature otherwise", () => {
    const message = renderMessagesResponse(
      result({
        reasoning: [
          anthropicThought,
          { type: "reasoning", origin: "anthropic", text: "", opaque: "r" },
          geminiThought,
          { type: "reasoning", origin: "gemini", text: "", signature: "only" },
        ],
      }),
    );
    expect(message.content).toEqual([
      { type: "thinking", thinking: "2+2", signature: "sig" },
      { type: "redacted_thinking", data: "r" },
      { type: "thinking", thinking: "hm", signature: "" },
      { type: "text", text: "4" },
    ]);
  });

  it("stream thinking blocks with thinking_delta, signature_delta and redacted blocks", () => {
    const encoder = createMessagesStreamEncoder();
    const parts: ChatStreamPart[] = [
      { type: "response-metadata", id: "msg_1", model: "m" },
      { type: "reasoning-delta", origin: "anthropic", text: "2+" },
      { type: "reasoning-delta", origin: "anthropic", text: "2" },
      { type: "reasoning-delta", origin: "anthropic", text: "", signature: "sig" },
      { type: "reasoning-delta", origin: "anthropic", text: "", opaque: "r" },
      { type: "reasoning-delta", origin: "gemini", text: "hm", signature: "g" },
      { type: "text-delta", text: "4" },
    ];
    const text = parts.map((part) => encoder.encode(part)).join("") + encoder.end();
    const shapes = events(text)
      .filter((event) => String(event.type).startsWith("content_block"))
      .map((event) => [
        event.type,
        event.index,
        (event.content_block ?? event.delta) as Record<string, unknown> | undefined,
      ]);
    expect(shapes).toEqual([
      ["content_block_start", 0, { type: "thinking", thinking: "", signature: "" }],
      ["content_block_delta", 0, { type: "thinking_delta", thinking: "2+" }],
      ["content_block_delta", 0, { type: "thinking_delta", thinking: "2" }],
      ["content_block_delta", 0, { type: "signature_delta", signature: "sig" }],
      ["content_block_stop", 0, undefined],
      ["content_block_start", 1, { type: "redacted_thinking", data: "r" }],
      ["content_block_stop", 1, undefined],
      ["content_block_start", 2, { type: "thinking", thinking: "", signature: "" }],
      ["content_block_delta", 2, { type: "thinking_delta", thinking: "hm" }],
      ["content_block_stop", 2, undefined],
      ["content_block_start", 3, { type: "text", text: "" }],
      ["content_block_delta", 3, { type: "text_delta", text: "4" }],
      ["content_block_stop", 3, undefined],
    ]);
  });
});

describe("Responses clients", () => {
  const turnOf = (body: Record<string, unknown>) => {
    const parsed = parseResponsesRequest({ model: "m", ...body });
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  };

  it("read reasoning.effort and summary, and reasoning items into the next assistant message", () => {
    const turn = turnOf({
      reasoning: { effort: "high", summary: "auto" },
      input: [
        { role: "user", content: "2+2?" },
        {
          type: "reasoning",
          id: "rs_1",
          summary: [{ type: "summary_text", text: "adding" }],
          encrypted_content: "enc",
        },
        { type: "reasoning", id: "rs_2", summary: [{ type: "summary_text", text: "plain" }] },
        { type: "function_call", call_id: "c1", name: "add", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "4" },
      ],
    });
    expect(turn.request.reasoning).toEqual({ effort: "high", includeThoughts: true });
    expect(turn.request.providerOptions).toBeUndefined();
    const { request } = toChatRequest(turn, []);
    expect(request.messages[1]).toEqual({
      role: "assistant",
      content: null,
      toolCalls: [{ id: "c1", name: "add", arguments: "{}" }],
      reasoning: [
        { type: "reasoning", origin: "openai", text: "adding", opaque: "enc", id: "rs_1" },
        { type: "reasoning", origin: "unsigned", text: "plain" },
      ],
    });
  });

  it("get a reasoning item with the text as summary, encrypted content only when OpenAI's", () => {
    const items = outputItems(
      result({
        reasoning: [
          anthropicThought,
          { type: "reasoning", origin: "openai", text: "s", opaque: "enc", id: "rs_up" },
        ],
      }),
    );
    expect(items.map(({ id: _id, ...item }) => item)).toEqual([
      { type: "reasoning", summary: [{ type: "summary_text", text: "2+2" }] },
      {
        type: "reasoning",
        summary: [{ type: "summary_text", text: "s" }],
        encrypted_content: "enc",
      },
      expect.objectContaining({ type: "message" }),
    ]);
    const usage = toResponsesUsage({
      inputTokens: 1,
      outputTokens: 9,
      cachedInputTokens: 0,
      reasoningTokens: 7,
      totalTokens: 10,
    });
    expect(usage.output_tokens_details).toEqual({ reasoning_tokens: 7 });
  });

  it("stream a reasoning item with summary text events before the message", () => {
    const shell = responseShell(turnOf({ input: "2+2?" }), {
      id: "resp_1",
      model: "m",
      createdAt: 1,
      store: false,
    });
    const encoder = new ResponsesStreamEncoder(shell, () => 2);
    const parts: ChatStreamPart[] = [
      { type: "reasoning-delta", origin: "anthropic", text: "ad" },
      { type: "reasoning-delta", origin: "anthropic", text: "ding", signature: "sig" },
      { type: "text-delta", text: "4" },
      { type: "finish", finishReason: "stop", rawFinishReason: null },
    ];
    const text = parts.map((part) => encoder.encode(part)).join("") + encoder.end();
    const types = events(text).map((event) => event.type);
    expect(types.slice(0, 8)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
    ]);
    const output = encoder.response().output;
    expect(output[0]).toMatchObject({
      type: "reasoning",
      summary: [{ type: "summary_text", text: "adding" }],
    });
    expect(output[0]).not.toHaveProperty("encrypted_content");
    expect(output[1]).toMatchObject({ type: "message" });
  });
});
