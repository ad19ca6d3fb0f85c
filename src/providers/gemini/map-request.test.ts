import { describe, expect, it } from "vitest";
import { isProviderError } from "../../errors/provider-error.js";
import type { ChatRequest } from "../../llm/chat.js";
import { PLACEHOLDER_THOUGHT_SIGNATURE } from "./map-messages.js";
import { mapGeminiRequest, modelName, modelPath } from "./map-request.js";

const base: ChatRequest = {
  model: "gemini-2.5-flash",
  messages: [{ role: "user", content: "Hi" }],
};

function map(request: Partial<ChatRequest>, schemaFormat?: "json-schema" | "openapi") {
  return mapGeminiRequest({ ...base, ...request }, { provider: "gem", schemaFormat });
}

describe("mapGeminiRequest: messages", () => {
  it("gathers system messages into systemInstruction and maps roles to user/model", () => {
    const body = map({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "system", content: "Answer in French." },
        { role: "user", content: "Bye" },
      ],
    });
    expect(body.systemInstruction).toEqual({
      parts: [{ text: "Be brief." }, { text: "Answer in French." }],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Hi" }] },
      { role: "model", parts: [{ text: "Hello!" }] },
      { role: "user", parts: [{ text: "Bye" }] },
    ]);
  });

  it("sends no systemInstruction, tools, toolConfig or generationConfig when none are asked for", () => {
    expect(Object.keys(map({}))).toEqual(["contents"]);
  });

  it("maps images: base64 and data: URLs inline, other URLs as fileData with a guessed MIME type", () => {
    const body = map({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare" },
            {
              type: "image",
              source: { type: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" },
            },
            { type: "image", source: { type: "url", url: "data:image/webp;base64,UklGRg==" } },
            {
              type: "image",
              source: { type: "url", url: "https://example.com/cat.PNG?size=large" },
            },
            {
              type: "image",
              source: { type: "url", url: "https://example.com/photo" },
              detail: "high",
            },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([
      {
        role: "user",
        parts: [
          { text: "Compare" },
          { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
          { inlineData: { mimeType: "image/webp", data: "UklGRg==" } },
          {
            fileData: { mimeType: "image/png", fileUri: "https://example.com/cat.PNG?size=large" },
          },
          { fileData: { mimeType: "image/jpeg", fileUri: "https://example.com/photo" } },
        ],
      },
    ]);
  });

  it("replays assistant tool calls as functionCall parts, the first with a placeholder signature", () => {
    const body = map({
      messages: [
        { role: "user", content: "Weather and time in Paris?" },
        {
          role: "assistant",
          content: null,
          toolCalls: [
            { id: "call_0", name: "get_weather", arguments: '{"location":"Paris"}' },
            { id: "call_1", name: "get_time", arguments: "" },
          ],
        },
        { role: "tool", toolCallId: "call_0", content: '{"temperature":21}' },
        { role: "tool", toolCallId: "call_1", content: "14:05" },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Weather and time in Paris?" }] },
      {
        role: "model",
        parts: [
          {
            functionCall: { name: "get_weather", args: { location: "Paris" } },
            thoughtSignature: PLACEHOLDER_THOUGHT_SIGNATURE,
          },
          { functionCall: { name: "get_time", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { temperature: 21 } } },
          { functionResponse: { name: "get_time", response: { output: "14:05" } } },
        ],
      },
      { role: "user", parts: [{ text: "Thanks" }] },
    ]);
  });

  it("keeps assistant text before its function calls and wraps non-object JSON results in output", () => {
    const body = map({
      messages: [
        {
          role: "assistant",
          content: "Checking.",
          toolCalls: [{ id: "a", name: "count", arguments: "{}" }],
        },
        { role: "tool", toolCallId: "a", content: "[1,2]", name: "count_override" },
      ],
    });
    expect(body.contents).toEqual([
      {
        role: "model",
        parts: [
          { text: "Checking." },
          {
            functionCall: { name: "count", args: {} },
            thoughtSignature: PLACEHOLDER_THOUGHT_SIGNATURE,
          },
        ],
      },
      {
        role: "user",
        parts: [{ functionResponse: { name: "count_override", response: { output: [1, 2] } } }],
      },
    ]);
  });

  it("throws invalid_request for a tool result whose call cannot be found", () => {
    let caught: unknown;
    try {
      map({ messages: [{ role: "tool", toolCallId: "call_9", content: "x" }] });
    } catch (error) {
      caught = error;
    }
    expect(isProviderError(caught) && caught.kind).toBe("invalid_request");
    expect(String(caught)).toContain("call_9");
  });

  it("throws invalid_request for tool call arguments that are not a JSON object", () => {
    for (const args of ["{not json", "[1]", "42"]) {
      expect(() =>
        map({
          messages: [
            {
              role: "assistant",
              content: null,
              toolCalls: [{ id: "x", name: "f", arguments: args }],
            },
          ],
        }),
      ).toThrow(/tool call x \(f\)/);
    }
  });
});

describe("mapGeminiRequest: tools", () => {
  const parameters = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: { location: { type: "string", description: "City" } },
    required: ["location"],
    additionalProperties: false,
  };

  it("sends JSON Schema as parametersJsonSchema by default, dropping only $schema", () => {
    const body = map({ tools: [{ name: "get_weather", description: "Weather now", parameters }] });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Weather now",
            parametersJsonSchema: {
              type: "object",
              properties: { location: { type: "string", description: "City" } },
              required: ["location"],
              additionalProperties: false,
            },
          },
        ],
      },
    ]);
  });

  it("converts to the OpenAPI subset in openapi mode and leaves out empty parameters", () => {
    const body = map(
      {
        tools: [
          { name: "get_weather", parameters },
          { name: "ping", parameters: { type: "object", properties: {} } },
        ],
      },
      "openapi",
    );
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            parameters: {
              type: "OBJECT",
              properties: { location: { type: "STRING", description: "City" } },
              required: ["location"],
            },
          },
          { name: "ping" },
        ],
      },
    ]);
  });

  it("maps every tool choice to functionCallingConfig", () => {
    const config = (toolChoice: ChatRequest["toolChoice"]) =>
      map({ toolChoice }).toolConfig as { functionCallingConfig: unknown };
    expect(config("auto").functionCallingConfig).toEqual({ mode: "AUTO" });
    expect(config("none").functionCallingConfig).toEqual({ mode: "NONE" });
    expect(config("required").functionCallingConfig).toEqual({ mode: "ANY" });
    expect(config({ name: "get_weather" }).functionCallingConfig).toEqual({
      mode: "ANY",
      allowedFunctionNames: ["get_weather"],
    });
  });
});

describe("mapGeminiRequest: generation config and provider options", () => {
  it("maps sampling fields into generationConfig", () => {
    const body = map({ temperature: 0.2, topP: 0.9, maxTokens: 256, stop: ["END"], seed: 7 });
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 256,
      stopSequences: ["END"],
      seed: 7,
    });
  });

  it("maps response formats: json, json_schema as responseJsonSchema or responseSchema, text as nothing", () => {
    const schema = {
      type: "object",
      properties: { n: { type: "integer" } },
      additionalProperties: false,
    };
    expect(map({ responseFormat: { type: "text" } }).generationConfig).toBeUndefined();
    expect(map({ responseFormat: { type: "json" } }).generationConfig).toEqual({
      responseMimeType: "application/json",
    });
    expect(
      map({ responseFormat: { type: "json_schema", name: "n", schema } }).generationConfig,
    ).toEqual({ responseMimeType: "application/json", responseJsonSchema: schema });
    expect(
      map({ responseFormat: { type: "json_schema", name: "n", schema } }, "openapi")
        .generationConfig,
    ).toEqual({
      responseMimeType: "application/json",
      responseSchema: { type: "OBJECT", properties: { n: { type: "INTEGER" } } },
    });
  });

  it("merges providerOptions.gemini last, objects key by key, and ignores other vendors' options", () => {
    const body = map({
      temperature: 0.5,
      providerOptions: {
        gemini: {
          generationConfig: { thinkingConfig: { thinkingBudget: 0 }, temperature: 1 },
          safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
          cachedContent: "cachedContents/abc",
        },
        openai: { store: true },
      },
    });
    expect(body.generationConfig).toEqual({
      temperature: 1,
      thinkingConfig: { thinkingBudget: 0 },
    });
    expect(body.safetySettings).toEqual([
      { category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" },
    ]);
    expect(body.cachedContent).toBe("cachedContents/abc");
    expect(body.store).toBeUndefined();
  });
});

describe("modelPath", () => {
  it("prefixes bare names with models/ and keeps models/ and tunedModels/ names", () => {
    expect(modelPath("gemini-2.5-flash")).toBe("/models/gemini-2.5-flash");
    expect(modelPath("models/gemini-2.5-pro")).toBe("/models/gemini-2.5-pro");
    expect(modelName("tunedModels/my-model-1")).toBe("tunedModels/my-model-1");
    expect(modelPath("odd name?")).toBe("/models/odd%20name%3F");
  });
});
