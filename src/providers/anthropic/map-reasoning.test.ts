import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { SseEvent } from "../shared/parse-sse.js";
import { takesAdaptiveThinking, takesThinking } from "./map-reasoning.js";
import { mapRequest } from "./map-request.js";
import { mapResponse } from "./map-response.js";
import { mapStream } from "./map-stream.js";

const options = { defaultMaxTokens: 4096, stream: false, provider: "claude" };
const request = (fields: Partial<ChatRequest>): ChatRequest => ({
  model: "claude-sonnet-4-5",
  messages: [{ role: "user", content: "Hi" }],
  ...fields,
});

describe("thinking in requests", () => {
  it("turns an effort into a budget from the table, raising the default max_tokens by it", () => {
    const body = mapRequest(request({ reasoning: { effort: "medium" } }), options);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(body.max_tokens).toBe(4096 + 8192);
  });

  it("keeps a client max_tokens and cuts the budget below it; leaves thinking off when 1024 does not fit", () => {
    const fits = mapRequest(
      request({ maxTokens: 3000, reasoning: { budgetTokens: 5000 } }),
      options,
    );
    expect(fits.thinking).toEqual({ type: "enabled", budget_tokens: 2999 });
    expect(fits.max_tokens).toBe(3000);
    const small = mapRequest(request({ maxTokens: 1000, reasoning: { effort: "high" } }), options);
    expect(small.thinking).toBeUndefined();
  });

  it("sends no thinking to models without it", () => {
    expect(takesThinking("claude-3-7-sonnet-latest")).toBe(true);
    expect(takesThinking("claude-haiku-4-5")).toBe(true);
    expect(takesThinking("claude-3-5-haiku-latest")).toBe(false);
    expect(takesThinking("claude-3-haiku-20240307")).toBe(false);
    const body = mapRequest(
      request({ model: "claude-3-5-haiku-latest", reasoning: { effort: "high" } }),
      options,
    );
    expect(body.thinking).toBeUndefined();
    expect(body.max_tokens).toBe(4096);
  });

  it("raises a budget under 1024 to the API's minimum", () => {
    const body = mapRequest(request({ reasoning: { budgetTokens: 100 } }), options);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 1024 });
  });

  it("sends nothing for none, for no effort, and with a forced tool choice", () => {
    expect(
      mapRequest(request({ reasoning: { effort: "none" } }), options).thinking,
    ).toBeUndefined();
    expect(
      mapRequest(request({ reasoning: { includeThoughts: true } }), options).thinking,
    ).toBeUndefined();
    const tools = [{ name: "f", parameters: { type: "object" } }];
    const forced = request({ tools, toolChoice: "required", reasoning: { effort: "low" } });
    expect(mapRequest(forced, options).thinking).toBeUndefined();
  });

  it("drops temperature and a low top_p, which the API refuses with thinking", () => {
    const body = mapRequest(
      request({ temperature: 0.2, topP: 0.5, reasoning: { effort: "low" } }),
      options,
    );
    expect(body.temperature).toBeUndefined();
    expect(body.top_p).toBeUndefined();
    const kept = mapRequest(request({ temperature: 1, reasoning: { effort: "low" } }), options);
    expect(kept.temperature).toBe(1);
  });

  it("uses adaptive thinking with output_config.effort on Claude 4.6 and later", () => {
    expect(takesAdaptiveThinking("claude-opus-4-6")).toBe(true);
    expect(takesAdaptiveThinking("claude-sonnet-4-6-20260101")).toBe(true);
    expect(takesAdaptiveThinking("claude-opus-5")).toBe(true);
    expect(takesAdaptiveThinking("claude-sonnet-4-5")).toBe(false);
    expect(takesAdaptiveThinking("claude-3-7-sonnet-latest")).toBe(false);
    const body = mapRequest(
      request({ model: "claude-opus-4-6", reasoning: { effort: "xhigh", includeThoughts: true } }),
      options,
    );
    expect(body.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(body.output_config).toEqual({ effort: "max" });
    expect(body.max_tokens).toBe(4096);
  });

  it("replays Anthropic thinking first in its turn and leaves other origins out", () => {
    const body = mapRequest(
      request({
        reasoning: { effort: "low" },
        messages: [
          { role: "user", content: "Hi" },
          {
            role: "assistant",
            content: "Hello",
            toolCalls: [{ id: "t1", name: "f", arguments: "{}" }],
            reasoning: [
              { type: "reasoning", origin: "gemini", text: "other", signature: "g" },
              { type: "reasoning", origin: "anthropic", text: "hmm", signature: "sig" },
              { type: "reasoning", origin: "anthropic", text: "", opaque: "redacted" },
            ],
          },
          { role: "tool", toolCallId: "t1", content: "ok" },
        ],
      }),
      options,
    );
    expect(body.messages[1]?.content).toEqual([
      { type: "thinking", thinking: "hmm", signature: "sig" },
      { type: "redacted_thinking", data: "redacted" },
      { type: "text", text: "Hello" },
      { type: "tool_use", id: "t1", name: "f", input: {} },
    ]);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
  });

  it("leaves thinking off when the last tool-calling turn has no Anthropic thinking to open with", () => {
    const body = mapRequest(
      request({
        reasoning: { effort: "low" },
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: null, toolCalls: [{ id: "t1", name: "f", arguments: "" }] },
          { role: "tool", toolCallId: "t1", content: "ok" },
        ],
      }),
      options,
    );
    expect(body.thinking).toBeUndefined();
  });
});

describe("thinking in answers", () => {
  it("reads thinking and redacted_thinking blocks with their signature and data", () => {
    const result = mapResponse(
      {
        id: "msg_1",
        model: "claude-sonnet-4-5",
        content: [
          { type: "thinking", thinking: "Let me see.", signature: "sig1" },
          { type: "redacted_thinking", data: "opaque1" },
          { type: "text", text: "Done." },
        ],
        stop_reason: "end_turn",
        usage: { input_tokens: 3, output_tokens: 5 },
      },
      { provider: "claude" },
    );
    expect(result.text).toBe("Done.");
    expect(result.reasoning).toEqual([
      { type: "reasoning", origin: "anthropic", text: "Let me see.", signature: "sig1" },
      { type: "reasoning", origin: "anthropic", text: "", opaque: "opaque1" },
    ]);
  });

  it("streams thinking deltas and signatures, held back until the first text", async () => {
    const list = [
      { type: "message_start", message: { id: "msg_1", model: "m", usage: { input_tokens: 3 } } },
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "a" } },
      { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "s" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "redacted_thinking", data: "r" },
      },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_start", index: 2, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 2, delta: { type: "text_delta", text: "Hi" } },
      { type: "content_block_stop", index: 2 },
      { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 4 } },
      { type: "message_stop" },
    ];
    async function* events(): AsyncGenerator<SseEvent> {
      for (const data of list)
        yield { event: undefined, data: JSON.stringify(data), id: undefined };
    }
    const parts: ChatStreamPart[] = [];
    for await (const part of mapStream(events(), { provider: "claude", now: () => 0 })) {
      parts.push(part);
    }
    expect(parts.slice(0, 5)).toEqual([
      { type: "response-metadata", id: "msg_1", model: "m" },
      { type: "reasoning-delta", origin: "anthropic", text: "a" },
      { type: "reasoning-delta", origin: "anthropic", text: "", signature: "s" },
      { type: "reasoning-delta", origin: "anthropic", text: "", opaque: "r" },
      { type: "text-delta", text: "Hi" },
    ]);
  });
});
