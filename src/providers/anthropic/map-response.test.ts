import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../errors/provider-error.js";
import { mapResponse } from "./map-response.js";
import { mapStopReason } from "./map-stop-reason.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const options = { provider: "claude" };

describe("mapResponse", () => {
  it("maps a text message", () => {
    expect(mapResponse(fixture("message-text.json"), options)).toEqual({
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      model: "claude-sonnet-4-5-20250929",
      adapterType: "anthropic",
      text: "Hi! My name is Claude.",
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "end_turn",
      usage: { inputTokens: 2095, outputTokens: 503, cachedInputTokens: 0, totalTokens: 2598 },
    });
  });

  it("maps tool_use blocks to tool calls with JSON-text arguments", () => {
    const result = mapResponse(fixture("message-tool-use.json"), options);
    expect(result.text).toBe("I'll check the current weather in San Francisco for you.");
    expect(result.toolCalls).toEqual([
      {
        id: "toolu_01A09q90qw90lq917835lq9",
        name: "get_weather",
        arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
      },
    ]);
    expect(result.finishReason).toBe("tool_calls");
    expect(result.rawFinishReason).toBe("tool_use");
    // Null cache fields count as zero.
    expect(result.usage).toEqual({
      inputTokens: 472,
      outputTokens: 89,
      cachedInputTokens: 0,
      totalTokens: 561,
    });
  });

  it("joins text blocks, skips thinking, and counts cache reads and writes as input", () => {
    const result = mapResponse(fixture("message-cached.json"), options);
    expect(result.text).toBe("The chapter opens with a storm.");
    expect(result.finishReason).toBe("length");
    expect(result.usage).toEqual({
      inputTokens: 21 + 2048 + 188,
      outputTokens: 393,
      cachedInputTokens: 2048,
      cacheWriteTokens: 188,
      totalTokens: 21 + 2048 + 188 + 393,
    });
  });

  it("throws a transient ProviderError for a body that is not a message", () => {
    const bodies: unknown[] = [
      null,
      "text",
      [],
      { type: "message", content: [] },
      { id: "msg_1", content: "not an array" },
      { id: "msg_1", content: [{ type: "tool_use", input: {} }] },
    ];
    for (const body of bodies) {
      let error: unknown;
      try {
        mapResponse(body, options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: "transient", provider: "claude" });
    }
  });

  it("tolerates a message without usage", () => {
    const result = mapResponse(
      { id: "msg_1", model: "m", content: [], stop_reason: null },
      options,
    );
    expect(result.usage).toBeUndefined();
    expect(result.rawFinishReason).toBeNull();
    expect(result.finishReason).toBe("stop");
  });
});

describe("mapStopReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    ["something_new", "stop"],
    [null, "stop"],
  ] as const)("%s -> %s", (stopReason, finishReason) => {
    expect(mapStopReason(stopReason)).toBe(finishReason);
  });
});
