import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";

// Reasoning in the mock vendors' answers, read by the official SDKs: OpenAI-format
// `reasoning_content` and reasoning tokens, Gemini thoughts, thought signatures and thought tokens.

let mock: MockProviderServer;
let openai: OpenAI;
let ai: GoogleGenAI;

beforeAll(async () => {
  mock = await startMockProviderServer();
  openai = new OpenAI({ apiKey: "sk-test", baseURL: `${mock.url}/v1`, maxRetries: 0 });
  ai = new GoogleGenAI({ apiKey: "gemini-test-key", httpOptions: { baseUrl: mock.url } });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

const thinking = { text: "Paris is in France; recall its weather.", signature: "c2lnLTE=" };
const reply = { text: "Sunny.", thinking, usage: { inputTokens: 9, outputTokens: 30 } };

describe("OpenAI-format chat", () => {
  it("answers with reasoning_content and counts reasoning tokens within completion tokens", async () => {
    mock.enqueue({ reply });
    const completion = await openai.chat.completions.create({
      model: "deepseek-reasoner",
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.reasoning_content).toBe(thinking.text);
    expect(message.content).toBe("Sunny.");
    expect(completion.usage?.completion_tokens).toBe(30);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(10);
  });

  it("streams reasoning_content before the content", async () => {
    mock.enqueue({ reply });
    const stream = await openai.chat.completions.create({
      model: "deepseek-reasoner",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      stream: true,
    });
    const order: string[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
      if (typeof delta?.reasoning_content === "string") order.push("reasoning");
      if (typeof delta?.content === "string" && delta.content !== "") order.push("content");
    }
    expect(order[0]).toBe("reasoning");
    expect(order).toContain("content");
  });
});

describe("Gemini", () => {
  const MODEL = "gemini-2.5-flash";

  it("returns thoughts only when asked, signs the answer and counts thoughts apart", async () => {
    mock.enqueue({ reply }, { reply });
    const plain = await ai.models.generateContent({ model: MODEL, contents: "Weather?" });
    const plainParts = plain.candidates?.[0]?.content?.parts ?? [];
    expect(plainParts.map((part) => part.thought ?? false)).toEqual([false]);
    expect(plainParts[0]?.thoughtSignature).toBe(thinking.signature);
    expect(plain.usageMetadata).toMatchObject({
      candidatesTokenCount: 20,
      thoughtsTokenCount: 10,
      totalTokenCount: 39,
    });
    const asked = await ai.models.generateContent({
      model: MODEL,
      contents: "Weather?",
      config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
    });
    const parts = asked.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]).toEqual({ text: thinking.text, thought: true });
    expect(asked.text).toBe("Sunny.");
    expect(mock.requests[1]?.body).toMatchObject({
      generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
    });
  });

  it("streams the thought first, then the signed answer", async () => {
    mock.enqueue({ reply: { ...reply, toolCalls: [{ name: "f", arguments: {} }] } });
    const stream = await ai.models.generateContentStream({
      model: MODEL,
      contents: "Weather?",
      config: { thinkingConfig: { includeThoughts: true } },
    });
    const parts: Record<string, unknown>[] = [];
    for await (const chunk of stream) {
      parts.push(...((chunk.candidates?.[0]?.content?.parts ?? []) as Record<string, unknown>[]));
    }
    expect(parts[0]).toMatchObject({ thought: true });
    const call = parts.find((part) => part.functionCall !== undefined);
    expect(call?.thoughtSignature).toBe(thinking.signature);
  });
});
