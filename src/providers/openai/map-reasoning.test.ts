import { describe, expect, it } from "vitest";
import { collect } from "../../../test/support/collect.js";
import type { ChatRequest } from "../../llm/chat.js";
import type { SseEvent } from "../shared/parse-sse.js";
import { takesReasoningEffort } from "./map-reasoning.js";
import { mapChatRequest } from "./map-request.js";
import { mapChatResponse } from "./map-response.js";
import { mapResponsesRequest } from "./map-responses-request.js";
import { mapResponsesResponse } from "./map-responses-response.js";
import { mapResponsesStream } from "./map-responses-stream.js";
import { mapStream } from "./map-stream.js";

const chatOptions = {
  stream: false,
  maxTokensField: "max_completion_tokens" as const,
  includeStreamUsage: false,
  providerOptionsKeys: ["openai"],
};
const source = { type: "openai", provider: "oa" };
const request = (fields: Partial<ChatRequest>): ChatRequest => ({
  model: "o4-mini",
  messages: [{ role: "user", content: "Hi" }],
  ...fields,
});

async function* sse(list: unknown[]): AsyncGenerator<SseEvent> {
  for (const data of list) {
    yield {
      event: undefined,
      data: typeof data === "string" ? data : JSON.stringify(data),
      id: undefined,
    };
  }
}

describe("Chat Completions reasoning", () => {
  it("sends reasoning_effort: the effort as given, a budget's level capped at high", () => {
    expect(
      mapChatRequest(request({ reasoning: { effort: "minimal" } }), chatOptions),
    ).toMatchObject({ reasoning_effort: "minimal" });
    const budget = mapChatRequest(request({ reasoning: { budgetTokens: 50_000 } }), chatOptions);
    expect(budget.reasoning_effort).toBe("high");
    const refused = mapChatRequest(request({ reasoning: { effort: "low" } }), {
      ...chatOptions,
      reasoningEffort: false,
    });
    expect(refused.reasoning_effort).toBeUndefined();
    expect(mapChatRequest(request({}), chatOptions).reasoning_effort).toBeUndefined();
  });

  it("leaves reasoning settings out for OpenAI models without reasoning, which refuse them", () => {
    for (const model of [
      "o3",
      "o4-mini",
      "gpt-5",
      "gpt-5.1-codex",
      "gpt-oss-120b",
      "ft:o4-mini:x",
    ]) {
      expect(takesReasoningEffort(model)).toBe(true);
    }
    for (const model of ["gpt-4.1-mini", "gpt-4o", "chatgpt-4o-latest"]) {
      expect(takesReasoningEffort(model)).toBe(false);
    }
    const options = { ...chatOptions, reasoningEffort: takesReasoningEffort };
    const reasoning = { effort: "low" };
    expect(mapChatRequest(request({ reasoning }), options).reasoning_effort).toBe("low");
    const plain = request({ model: "gpt-4.1-mini", reasoning });
    expect(mapChatRequest(plain, options).reasoning_effort).toBeUndefined();
    const responses = mapResponsesRequest(plain, {
      stream: false,
      providerOptionsKeys: [],
      reasoning: takesReasoningEffort,
    });
    expect(responses).not.toHaveProperty("reasoning");
    expect(responses).not.toHaveProperty("include");
  });

  it("replays chat-origin reasoning as reasoning_content, leaving other origins out", () => {
    const body = mapChatRequest(
      request({
        messages: [
          {
            role: "assistant",
            content: "4",
            reasoning: [
              { type: "reasoning", origin: "openai-chat", text: "2+2" },
              { type: "reasoning", origin: "anthropic", text: "secret", signature: "s" },
            ],
          },
        ],
      }),
      chatOptions,
    );
    expect(body.messages).toEqual([{ role: "assistant", content: "4", reasoning_content: "2+2" }]);
  });

  it("reads reasoning_content and reasoning tokens from an answer", () => {
    const result = mapChatResponse(
      {
        id: "c1",
        model: "deepseek-reasoner",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "4", reasoning_content: "2+2=4" },
            finish_reason: "stop",
          },
        ],
        usage: {
          prompt_tokens: 5,
          completion_tokens: 9,
          total_tokens: 14,
          completion_tokens_details: { reasoning_tokens: 6 },
        },
      },
      source,
    );
    expect(result.reasoning).toEqual([{ type: "reasoning", origin: "openai-chat", text: "2+2=4" }]);
    expect(result.usage?.reasoningTokens).toBe(6);
  });

  it("streams reasoning_content deltas, held back until the first content", async () => {
    const chunk = (delta: Record<string, unknown>) => ({
      id: "c1",
      model: "m",
      choices: [{ index: 0, delta }],
    });
    const parts = await collect(
      mapStream(
        sse([
          chunk({ role: "assistant", reasoning_content: "think" }),
          chunk({ reasoning_content: "ing" }),
          chunk({ content: "4" }),
          "[DONE]",
        ]),
        { provider: "oa" },
      ),
    );
    expect(parts.slice(0, 4)).toEqual([
      { type: "response-metadata", id: "c1", model: "m" },
      { type: "reasoning-delta", origin: "openai-chat", text: "think" },
      { type: "reasoning-delta", origin: "openai-chat", text: "ing" },
      { type: "text-delta", text: "4" },
    ]);
  });
});

describe("Responses reasoning", () => {
  const responsesOptions = { stream: false, providerOptionsKeys: ["openai"] };

  it("sends reasoning.effort and summary, asks for the encrypted reasoning, replays openai items", () => {
    const body = mapResponsesRequest(
      request({
        reasoning: { budgetTokens: 3000, includeThoughts: true },
        messages: [
          {
            role: "assistant",
            content: "4",
            reasoning: [
              { type: "reasoning", origin: "openai", text: "sum", opaque: "enc", id: "rs_1" },
              { type: "reasoning", origin: "anthropic", text: "x", signature: "s" },
            ],
          },
        ],
      }),
      responsesOptions,
    );
    expect(body.reasoning).toEqual({ effort: "medium", summary: "auto" });
    expect(body.include).toEqual(["reasoning.encrypted_content"]);
    expect(body.input).toEqual([
      {
        type: "reasoning",
        id: "rs_1",
        summary: [{ type: "summary_text", text: "sum" }],
        encrypted_content: "enc",
      },
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "4", annotations: [] }],
      },
    ]);
  });

  it("reads reasoning items and reasoning tokens from a response", () => {
    const result = mapResponsesResponse(
      {
        id: "resp_1",
        model: "o4-mini",
        status: "completed",
        output: [
          {
            type: "reasoning",
            id: "rs_1",
            summary: [{ type: "summary_text", text: "Adding." }],
            encrypted_content: "enc",
          },
          { type: "message", content: [{ type: "output_text", text: "4" }] },
        ],
        usage: {
          input_tokens: 3,
          output_tokens: 20,
          output_tokens_details: { reasoning_tokens: 16 },
        },
      },
      source,
    );
    expect(result.reasoning).toEqual([
      { type: "reasoning", origin: "openai", text: "Adding.", id: "rs_1", opaque: "enc" },
    ]);
    expect(result.usage?.reasoningTokens).toBe(16);
  });

  it("streams summary deltas and the finished item, held back until the first text", async () => {
    const response = { id: "resp_1", model: "o4-mini" };
    const parts = await collect(
      mapResponsesStream(
        sse([
          { type: "response.created", response },
          { type: "response.reasoning_summary_text.delta", item_id: "rs_1", delta: "Add" },
          {
            type: "response.output_item.done",
            item: { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "enc" },
          },
          { type: "response.output_text.delta", delta: "4" },
          { type: "response.completed", response: { ...response, status: "completed" } },
        ]),
        { provider: "oa" },
      ),
    );
    expect(parts.slice(0, 4)).toEqual([
      { type: "response-metadata", id: "resp_1", model: "o4-mini" },
      { type: "reasoning-delta", origin: "openai", text: "Add" },
      { type: "reasoning-delta", origin: "openai", text: "", id: "rs_1", opaque: "enc" },
      { type: "text-delta", text: "4" },
    ]);
  });
});
