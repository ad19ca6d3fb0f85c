import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isProviderError } from "../../errors/provider-error.js";
import { mapGeminiResponse } from "./map-response.js";

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
}

const options = { provider: "gem", model: "gemini-2.5-flash" };

describe("mapGeminiResponse", () => {
  it("maps a text answer with id, model version and usage (thinking tokens count as output)", () => {
    expect(mapGeminiResponse(fixture("generate-text.json"), options)).toEqual({
      id: "7yEiaZ2pFKOmz7IPg8Sv0Ac",
      model: "gemini-2.5-flash",
      adapterType: "gemini",
      text: "Hello! How can I help you today?",
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "STOP",
      usage: {
        inputTokens: 8,
        outputTokens: 32,
        cachedInputTokens: 0,
        reasoningTokens: 23,
        totalTokens: 40,
      },
    });
  });

  it("joins visible text parts, leaves thought parts out and reports cached tokens", () => {
    const result = mapGeminiResponse(fixture("generate-multipart-text.json"), options);
    expect(result.text).toBe("The capital of France is Paris.");
    expect(result.model).toBe("gemini-2.5-pro");
    expect(result.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 18,
      cachedInputTokens: 1024,
      reasoningTokens: 11,
      totalTokens: 1218,
    });
    expect(result.reasoning?.map((part) => part.origin)).toEqual(["gemini"]);
  });

  it("maps function calls to tool calls with generated ids and JSON arguments", () => {
    const result = mapGeminiResponse(fixture("generate-function-call.json"), options);
    expect(result.toolCalls).toEqual([
      { id: "call_0", name: "get_weather", arguments: '{"location":"Paris","unit":"celsius"}' },
      { id: "call_1", name: "get_time", arguments: '{"timezone":"Europe/Paris"}' },
    ]);
    expect(result.finishReason).toBe("tool_calls");
    expect(result.rawFinishReason).toBe("STOP");
    expect(result.text).toBe("");
  });

  it("keeps a function call id when Gemini sends one", () => {
    const body = {
      candidates: [
        {
          content: {
            role: "model",
            parts: [{ functionCall: { id: "fc-7", name: "f", args: {} } }],
          },
          finishReason: "STOP",
        },
      ],
    };
    expect(mapGeminiResponse(body, options).toolCalls).toEqual([
      { id: "fc-7", name: "f", arguments: "{}" },
    ]);
  });

  it("maps MAX_TOKENS to length and SAFETY to content_filter", () => {
    const truncated = mapGeminiResponse(fixture("generate-max-tokens.json"), options);
    expect([truncated.finishReason, truncated.rawFinishReason]).toEqual(["length", "MAX_TOKENS"]);
    const blocked = mapGeminiResponse(fixture("generate-safety.json"), options);
    expect([blocked.finishReason, blocked.text]).toEqual(["content_filter", ""]);
    expect(blocked.usage).toEqual({
      inputTokens: 12,
      outputTokens: 0,
      cachedInputTokens: 0,
      totalTokens: 12,
    });
  });

  it.each([
    ["RECITATION", "content_filter"],
    ["BLOCKLIST", "content_filter"],
    ["PROHIBITED_CONTENT", "content_filter"],
    ["SPII", "content_filter"],
    ["MALFORMED_FUNCTION_CALL", "error"],
    ["OTHER", "error"],
    ["SOMETHING_NEW", "stop"],
  ])("maps finishReason %s to %s", (raw, expected) => {
    const body = { candidates: [{ content: { parts: [{ text: "x" }] }, finishReason: raw }] };
    expect(mapGeminiResponse(body, options).finishReason).toBe(expected);
  });

  it("throws content_filter for a prompt blocked before generation", () => {
    let caught: unknown;
    try {
      mapGeminiResponse(fixture("generate-blocked-prompt.json"), options);
    } catch (error) {
      caught = error;
    }
    expect(isProviderError(caught)).toBe(true);
    if (!isProviderError(caught)) return;
    expect([caught.kind, caught.vendorCode, caught.provider]).toEqual([
      "content_filter",
      "PROHIBITED_CONTENT",
      "gem",
    ]);
  });

  it("throws transient for a body with no candidate, and falls back to the requested model name", () => {
    expect(() => mapGeminiResponse({}, options)).toThrow(/without a candidate/);
    const bare = { candidates: [{ content: { parts: [{ text: "ok" }] }, finishReason: "STOP" }] };
    expect(mapGeminiResponse(bare, options)).toMatchObject({
      id: "",
      model: "gemini-2.5-flash",
      usage: undefined,
    });
  });
});
