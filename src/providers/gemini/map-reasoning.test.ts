import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../llm/chat.js";
import { PLACEHOLDER_THOUGHT_SIGNATURE } from "./map-messages.js";
import { mapGeminiRequest } from "./map-request.js";

const options = { provider: "gem" };
const request = (fields: Partial<ChatRequest>): ChatRequest => ({
  model: "gemini-2.5-flash",
  messages: [{ role: "user", content: "Hi" }],
  ...fields,
});

describe("Gemini thinkingConfig", () => {
  it("sends thinkingBudget to Gemini 2.x: the budget as asked or the effort's", () => {
    const effort = mapGeminiRequest(request({ reasoning: { effort: "low" } }), options);
    expect(effort.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 2048 } });
    const budget = mapGeminiRequest(
      request({ reasoning: { budgetTokens: 5000, includeThoughts: true } }),
      options,
    );
    expect(budget.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 5000, includeThoughts: true },
    });
    const none = mapGeminiRequest(request({ reasoning: { effort: "none" } }), options);
    expect(none.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
    const old = request({ model: "gemini-2.0-flash", reasoning: { effort: "high" } });
    expect(mapGeminiRequest(old, options).generationConfig).toBeUndefined();
  });

  it("sends thinkingLevel to Gemini 3: a budget's level, Pro models only low and high", () => {
    const flash = mapGeminiRequest(
      request({ model: "gemini-3-flash-preview", reasoning: { budgetTokens: 8000 } }),
      options,
    );
    expect(flash.generationConfig).toEqual({ thinkingConfig: { thinkingLevel: "medium" } });
    const pro = (effort: string) =>
      mapGeminiRequest(request({ model: "gemini-3-pro-preview", reasoning: { effort } }), options)
        .generationConfig;
    expect(pro("minimal")).toEqual({ thinkingConfig: { thinkingLevel: "low" } });
    expect(pro("medium")).toEqual({ thinkingConfig: { thinkingLevel: "high" } });
    expect(mapGeminiRequest(request({}), options).generationConfig).toBeUndefined();
  });

  it("replays a turn's own thought signature instead of the placeholder, and no other origin's", () => {
    const messages = (origin: string) =>
      request({
        messages: [
          { role: "user", content: "Hi" },
          {
            role: "assistant",
            content: null,
            toolCalls: [{ id: "c1", name: "f", arguments: "{}" }],
            reasoning: [{ type: "reasoning", origin, text: "", signature: "real" }],
          },
        ],
      });
    const own = mapGeminiRequest(messages("gemini"), options) as {
      contents: { parts: Record<string, unknown>[] }[];
    };
    expect(own.contents[1]?.parts[0]?.thoughtSignature).toBe("real");
    const other = mapGeminiRequest(messages("anthropic"), options) as typeof own;
    expect(other.contents[1]?.parts[0]?.thoughtSignature).toBe(PLACEHOLDER_THOUGHT_SIGNATURE);
  });
});
