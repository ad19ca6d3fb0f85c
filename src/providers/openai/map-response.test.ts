import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isProviderError } from "../../errors/provider-error.js";
import {
  mapChatResponse,
  mapEmbeddingsResponse,
  mapFinishReason,
  mapModelsResponse,
} from "./map-response.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const source = { type: "openai", provider: "primary" };

describe("mapChatResponse", () => {
  it("maps a text completion with usage", () => {
    expect(mapChatResponse(fixture("chat-completion.json"), source)).toEqual({
      id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
      model: "gpt-4.1-2025-04-14",
      adapterType: "openai",
      text: "Hello! How can I assist you today?",
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: {
        inputTokens: 19,
        outputTokens: 10,
        cachedInputTokens: 0,
        reasoningTokens: 0,
        totalTokens: 29,
      },
    });
  });

  it("maps tool calls and cached tokens", () => {
    const result = mapChatResponse(fixture("chat-completion-tool-calls.json"), source);
    expect(result.text).toBe("");
    expect(result.toolCalls).toEqual([
      {
        id: "call_abc123",
        name: "get_current_weather",
        arguments: '{\n"location": "Boston, MA"\n}',
      },
    ]);
    expect(result.finishReason).toBe("tool_calls");
    expect(result.usage?.cachedInputTokens).toBe(64);
  });

  it("returns a refusal as text and a legacy function_call as a tool call", () => {
    const refusal = mapChatResponse(
      {
        choices: [
          { message: { content: null, refusal: "I can't help with that." }, finish_reason: "stop" },
        ],
      },
      source,
    );
    expect(refusal.text).toBe("I can't help with that.");
    expect(refusal.usage).toBeUndefined();
    const legacy = mapChatResponse(
      {
        choices: [
          {
            message: { content: null, function_call: { name: "f", arguments: "{}" } },
            finish_reason: "function_call",
          },
        ],
      },
      source,
    );
    expect(legacy.toolCalls).toEqual([{ id: "", name: "f", arguments: "{}" }]);
    expect(legacy.finishReason).toBe("tool_calls");
  });

  it("throws transient for a body without a choice", () => {
    let caught: unknown;
    try {
      mapChatResponse({ id: "x", choices: [] }, source);
    } catch (error) {
      caught = error;
    }
    expect(isProviderError(caught) && caught.kind).toBe("transient");
  });
});

describe("mapFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["tool_calls", "tool_calls"],
    ["function_call", "tool_calls"],
    ["content_filter", "content_filter"],
    [null, "stop"],
    ["eos", "stop"],
  ] as const)("%s -> %s", (raw, expected) => {
    expect(mapFinishReason(raw)).toBe(expected);
  });
});

describe("mapEmbeddingsResponse", () => {
  it("orders vectors by index and maps usage", () => {
    expect(mapEmbeddingsResponse(fixture("embeddings.json"), source)).toEqual({
      model: "text-embedding-3-small",
      adapterType: "openai",
      embeddings: [
        [0.0115, 0.0251, -0.0403],
        [0.0023064255, -0.009327292, -0.0028842222],
      ],
      usage: { inputTokens: 8, totalTokens: 8 },
    });
  });

  it("rejects a base64 embedding", () => {
    expect(() =>
      mapEmbeddingsResponse({ data: [{ embedding: "AAAA", index: 0 }] }, source),
    ).toThrow(/embedding 0 is not a float array/);
  });
});

describe("mapModelsResponse", () => {
  it("lists ids and owners", () => {
    expect(mapModelsResponse(fixture("models.json"))).toEqual([
      { id: "model-id-0", ownedBy: "organization-owner" },
      { id: "model-id-1", ownedBy: "organization-owner" },
      { id: "model-id-2", ownedBy: "openai" },
    ]);
  });
});
