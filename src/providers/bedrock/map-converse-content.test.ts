import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../llm/chat.js";
import { documentName } from "./map-converse-content.js";
import { claudeThinking, mapConverseRequest } from "./map-converse-request.js";
import { mapConverseResponse } from "./map-converse-response.js";
import { mapConverseStream } from "./map-converse-stream.js";

const CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const ephemeral = { type: "ephemeral" } as const;

describe("mapConverseRequest: cache points, documents, tool results, reasoning", () => {
  it("puts a cachePoint after each marked system prompt, part, tool result and tool", () => {
    const body = mapConverseRequest(
      {
        model: CLAUDE,
        messages: [
          { role: "system", content: "Rules", cacheControl: { type: "ephemeral", ttl: "1h" } },
          { role: "user", content: [{ type: "text", text: "long", cacheControl: ephemeral }] },
          { role: "assistant", content: null, toolCalls: [{ id: "t1", name: "f", arguments: "" }] },
          { role: "tool", toolCallId: "t1", content: "out", cacheControl: ephemeral },
        ],
        tools: [{ name: "f", parameters: { type: "object" }, cacheControl: ephemeral }],
      },
      "bedrock-us",
    );
    expect(body.system).toEqual([
      { text: "Rules" },
      { cachePoint: { type: "default", ttl: "1h" } },
    ]);
    expect(body.messages[0]?.content).toEqual([
      { text: "long" },
      { cachePoint: { type: "default" } },
    ]);
    expect(body.messages[2]?.content).toEqual([
      { toolResult: { toolUseId: "t1", content: [{ text: "out" }] } },
      { cachePoint: { type: "default" } },
    ]);
    expect((body.toolConfig as { tools: unknown[] }).tools).toEqual([
      { toolSpec: { name: "f", inputSchema: { json: { type: "object" } } } },
      { cachePoint: { type: "default" } },
    ]);
  });

  it("maps documents (format from the media type, a sanitised name) and parts and errors in tool results", () => {
    const body = mapConverseRequest(
      {
        model: "amazon.nova-pro-v1:0",
        messages: [
          {
            role: "user",
            content: [
              {
                type: "document",
                source: { type: "base64", mediaType: "application/pdf", data: "JVBERi0" },
                title: "Q3 report (final).pdf",
              },
              { type: "document", source: { type: "text", mediaType: "text/plain", data: "hi" } },
            ],
          },
          {
            role: "assistant",
            content: null,
            toolCalls: [{ id: "t1", name: "shot", arguments: "{}" }],
          },
          {
            role: "tool",
            toolCallId: "t1",
            content: "",
            isError: true,
            parts: [
              { type: "text", text: "screen" },
              { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBOR" } },
            ],
          },
        ],
      },
      "bedrock-us",
    );
    expect(body.messages[0]?.content).toEqual([
      { document: { format: "pdf", name: "Q3 report (final)-pdf", source: { bytes: "JVBERi0" } } },
      { document: { format: "txt", name: "document", source: { text: "hi" } } },
    ]);
    expect(body.messages[2]?.content).toEqual([
      {
        toolResult: {
          toolUseId: "t1",
          content: [{ text: "screen" }, { image: { format: "png", source: { bytes: "iVBOR" } } }],
          status: "error",
        },
      },
    ]);
    expect(documentName("a__b  c.d/e")).toBe("a--b c-d-e");
    expect(documentName("...")).toBe("---");
    expect(documentName("")).toBe("document");
  });

  it("replays reasoning of the model's own family only, before the text", () => {
    const request = (model: string): ChatRequest => ({
      model,
      messages: [
        { role: "user", content: "Hi" },
        {
          role: "assistant",
          content: "Hello",
          reasoning: [
            { type: "reasoning", origin: "anthropic", text: "think", signature: "sig" },
            { type: "reasoning", origin: "anthropic", text: "", opaque: "EmwKredacted" },
            { type: "reasoning", origin: "openai", text: "", opaque: "gAAAA" },
          ],
        },
      ],
    });
    expect(mapConverseRequest(request(CLAUDE), "b").messages[1]?.content).toEqual([
      { reasoningContent: { reasoningText: { text: "think", signature: "sig" } } },
      { reasoningContent: { redactedContent: "EmwKredacted" } },
      { text: "Hello" },
    ]);
    expect(mapConverseRequest(request("amazon.nova-pro-v1:0"), "b").messages[1]?.content).toEqual([
      { text: "Hello" },
    ]);
  });

  it("turns reasoning into Claude's thinking budget, only on Anthropic models", () => {
    const ask = (model: string, reasoning: ChatRequest["reasoning"], maxTokens?: number) =>
      mapConverseRequest(
        { model, messages: [{ role: "user", content: "Hi" }], reasoning, maxTokens },
        "b",
      ).additionalModelRequestFields;
    expect(ask(CLAUDE, { budgetTokens: 5000 })).toEqual({
      thinking: { type: "enabled", budget_tokens: 5000 },
    });
    expect(ask(CLAUDE, { effort: "high" }, 8000)).toEqual({
      thinking: { type: "enabled", budget_tokens: 7999 },
    });
    expect(ask(CLAUDE, { effort: "none" })).toBeUndefined();
    expect(ask("amazon.nova-pro-v1:0", { effort: "high" })).toBeUndefined();
    expect(claudeThinking({ effort: "minimal" }, undefined)).toEqual({
      type: "enabled",
      budget_tokens: 1024,
    });
    const merged = mapConverseRequest(
      {
        model: CLAUDE,
        messages: [{ role: "user", content: "Hi" }],
        reasoning: { budgetTokens: 2048 },
        providerOptions: { bedrock: { additionalModelRequestFields: { top_k: 5 } } },
      },
      "b",
    );
    expect(merged.additionalModelRequestFields).toEqual({
      thinking: { type: "enabled", budget_tokens: 2048 },
      top_k: 5,
    });
  });
});

describe("Converse reasoning in answers and streams", () => {
  it("reads reasoningContent blocks into the result's reasoning", () => {
    const result = mapConverseResponse(
      {
        output: {
          message: {
            role: "assistant",
            content: [
              { reasoningContent: { reasoningText: { text: "hmm", signature: "sig1" } } },
              { reasoningContent: { redactedContent: "RED" } },
              { text: "Answer" },
            ],
          },
        },
        stopReason: "end_turn",
      },
      { provider: "b", model: CLAUDE, requestId: "r", type: "bedrock" },
    );
    expect(result.reasoning).toEqual([
      { type: "reasoning", origin: "anthropic", text: "hmm", signature: "sig1" },
      { type: "reasoning", origin: "anthropic", text: "", opaque: "RED" },
    ]);
    expect(result.text).toBe("Answer");
  });

  it("streams reasoning deltas (text, then the signature) as reasoning-delta parts", async () => {
    const event = (type: string, data: Record<string, unknown>) => ({
      headers: { ":event-type": type, ":message-type": "event" },
      body: JSON.stringify(data),
    });
    async function* messages() {
      yield event("messageStart", { role: "assistant" });
      yield event("contentBlockDelta", { delta: { reasoningContent: { text: "hmm" } } });
      yield event("contentBlockDelta", { delta: { reasoningContent: { signature: "sig1" } } });
      yield event("contentBlockDelta", { contentBlockIndex: 1, delta: { text: "Hi" } });
      yield event("messageStop", { stopReason: "end_turn" });
    }
    const parts = [];
    for await (const part of mapConverseStream(messages(), {
      provider: "b",
      model: "deepseek.r1-v1:0",
      requestId: "r",
    })) {
      parts.push(part);
    }
    expect(parts.slice(0, 4)).toEqual([
      { type: "response-metadata", id: "r", model: "deepseek.r1-v1:0" },
      { type: "reasoning-delta", origin: "bedrock", text: "hmm" },
      { type: "reasoning-delta", origin: "bedrock", text: "", signature: "sig1" },
      { type: "text-delta", text: "Hi" },
    ]);
  });
});
