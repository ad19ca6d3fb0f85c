import { describe, expect, it } from "vitest";
import { isProviderError } from "../../errors/provider-error.js";
import { mapConverseRequest } from "./map-converse-request.js";

describe("mapConverseRequest", () => {
  it("maps system prompts, images, tools, tool results and inference settings", () => {
    const body = mapConverseRequest(
      {
        model: "anthropic.claude-sonnet-4-5-20250929-v1:0",
        messages: [
          { role: "system", content: "Be brief." },
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBOR" } },
              { type: "image", source: { type: "url", url: "data:image/jpeg;base64,/9j/4A" } },
            ],
          },
          {
            role: "assistant",
            content: "Let me look.",
            toolCalls: [{ id: "tooluse_1", name: "lookup", arguments: '{"q":"cat"}' }],
          },
          { role: "tool", toolCallId: "tooluse_1", content: "a cat" },
          { role: "user", content: "Thanks" },
        ],
        tools: [{ name: "lookup", description: "Looks up", parameters: { type: "object" } }],
        toolChoice: { name: "lookup" },
        maxTokens: 100,
        temperature: 0.2,
        topP: 0.9,
        stop: ["END"],
        providerOptions: { bedrock: { additionalModelRequestFields: { top_k: 5 } } },
      },
      "bedrock-us",
    );
    expect(body).toEqual({
      system: [{ text: "Be brief." }],
      messages: [
        {
          role: "user",
          content: [
            { text: "What is this?" },
            { image: { format: "png", source: { bytes: "iVBOR" } } },
            { image: { format: "jpeg", source: { bytes: "/9j/4A" } } },
          ],
        },
        {
          role: "assistant",
          content: [
            { text: "Let me look." },
            { toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "cat" } } },
          ],
        },
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: "tooluse_1", content: [{ text: "a cat" }] } },
            { text: "Thanks" },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 100, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: "lookup",
              description: "Looks up",
              inputSchema: { json: { type: "object" } },
            },
          },
        ],
        toolChoice: { tool: { name: "lookup" } },
      },
      additionalModelRequestFields: { top_k: 5 },
    });
  });

  it("refuses what Converse cannot carry, as invalid_request", () => {
    const refuse = (request: Parameters<typeof mapConverseRequest>[0]) => {
      try {
        mapConverseRequest(request, "bedrock-us");
      } catch (error) {
        return isProviderError(error) ? error.kind : "other";
      }
      return "accepted";
    };
    expect(
      refuse({
        model: "m",
        messages: [
          {
            role: "user",
            content: [{ type: "image", source: { type: "url", url: "https://x/cat.png" } }],
          },
        ],
      }),
    ).toBe("invalid_request");
    expect(
      refuse({
        model: "m",
        messages: [{ role: "user", content: "x" }],
        responseFormat: { type: "json" },
      }),
    ).toBe("invalid_request");
  });
});

describe("mapConverseUsage", () => {
  it("counts cache reads and writes within the input, reads as cached, writes apart", async () => {
    const { mapConverseUsage } = await import("./map-converse-response.js");
    expect(
      mapConverseUsage({
        inputTokens: 10,
        outputTokens: 4,
        totalTokens: 64,
        cacheReadInputTokens: 30,
        cacheWriteInputTokens: 20,
      }),
    ).toEqual({
      inputTokens: 60,
      outputTokens: 4,
      cachedInputTokens: 30,
      cacheWriteTokens: 20,
      totalTokens: 64,
    });
  });
});
