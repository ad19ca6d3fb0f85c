import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  MOCK_ERROR_KINDS,
  type MockBehaviour,
  type MockProviderServer,
  startMockProviderServer,
} from "../../src/testing/index.js";
import {
  expectValid,
  expectValidStreamEvent,
  sseEvents,
  validator,
} from "../support/openai-schemas.js";

// The mock's OpenAI answers validate against OpenAI's own OpenAPI schemas (a copy in
// test/fixtures/openai-openapi, from openai/openai-openapi, MIT).

let mock: MockProviderServer;

beforeAll(async () => {
  mock = await startMockProviderServer();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

async function post(path: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${mock.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function dataLines(raw: string): string[] {
  return raw
    .split("\n\n")
    .filter((block) => block.startsWith("data: "))
    .map((block) => block.slice("data: ".length));
}

const REPLIES: [string, MockBehaviour][] = [
  ["text", { reply: { text: "Hello there, friend." } }],
  ["empty text", { reply: { text: "" } }],
  [
    "text and tool calls",
    {
      reply: {
        text: "Checking.",
        toolCalls: [
          { name: "get_weather", arguments: { city: "Paris" } },
          { id: "call_x", name: "get_time", arguments: "{}" },
        ],
      },
      chunkSize: 4,
    },
  ],
  [
    "length stop with cached usage",
    { reply: { finishReason: "length", usage: { cachedInputTokens: 4 } } },
  ],
  ["content filter", { reply: { text: "", finishReason: "content_filter" } }],
];

describe("OpenAI schemas", () => {
  it("reject what does not fit (the validator can fail)", () => {
    expect(validator("CreateChatCompletionResponse")({ object: "chat.completion" })).toBe(false);
    expect(validator("ErrorResponse")({ error: { message: "x" } })).toBe(false);
  });

  it.each(REPLIES)("CreateChatCompletionResponse: %s", async (_, behaviour) => {
    mock.enqueue(behaviour);
    const response = await post("/v1/chat/completions", { model: "gpt-4o-mini", messages: [] });
    expectValid("CreateChatCompletionResponse", await response.json());
  });

  it.each(REPLIES)("CreateChatCompletionStreamResponse: %s", async (_, behaviour) => {
    for (const includeUsage of [false, true]) {
      mock.enqueue(behaviour);
      const response = await post("/v1/chat/completions", {
        model: "gpt-4o-mini",
        messages: [],
        stream: true,
        stream_options: { include_usage: includeUsage },
      });
      const lines = dataLines(await response.text());
      expect(lines.at(-1)).toBe("[DONE]");
      for (const line of lines.slice(0, -1)) {
        expectValid("CreateChatCompletionStreamResponse", JSON.parse(line));
      }
    }
  });

  it("CreateEmbeddingResponse", async () => {
    const response = await post("/v1/embeddings", {
      model: "text-embedding-3-small",
      input: ["a", "b"],
      encoding_format: "float",
    });
    expectValid("CreateEmbeddingResponse", await response.json());
  });

  it("ListModelsResponse and Model", async () => {
    expectValid("ListModelsResponse", await (await fetch(`${mock.url}/v1/models`)).json());
    expectValid("Model", await (await fetch(`${mock.url}/v1/models/gpt-4o-mini`)).json());
  });

  it.each(MOCK_ERROR_KINDS)("ErrorResponse: %s", async (kind) => {
    mock.enqueue({ error: { kind, retryAfterSeconds: 1.5 } });
    const response = await post("/v1/chat/completions", { model: "gpt-4o-mini", messages: [] });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expectValid("ErrorResponse", await response.json());
  });

  it("ErrorResponse: the in-stream error event", async () => {
    mock.enqueue({ fault: "error-event", afterChunks: 1, kind: "server" });
    const response = await post("/v1/chat/completions", { model: "m", messages: [], stream: true });
    const last = dataLines(await response.text()).at(-1) ?? "";
    expectValid("ErrorResponse", JSON.parse(last));
  });

  it.each(REPLIES)("Response: %s", async (_, behaviour) => {
    mock.enqueue(behaviour);
    const response = await post("/v1/responses", { model: "gpt-5", input: "hi" });
    expectValid("Response", await response.json());
  });

  it.each(REPLIES)("ResponseStreamEvent: %s", async (_, behaviour) => {
    mock.enqueue(behaviour);
    const response = await post("/v1/responses", { model: "gpt-5", input: "hi", stream: true });
    const events = sseEvents(await response.text());
    expect(events.length).toBeGreaterThan(3);
    for (const { event, data } of events) {
      const parsed = JSON.parse(data);
      expect(parsed.type).toBe(event);
      expectValidStreamEvent(parsed);
    }
  });

  it("ResponseStreamEvent: the in-stream error event", async () => {
    mock.enqueue({ fault: "error-event", afterChunks: 1, kind: "server" });
    const response = await post("/v1/responses", { model: "gpt-5", input: "hi", stream: true });
    const last = sseEvents(await response.text()).at(-1);
    expect(last?.event).toBe("error");
    expectValidStreamEvent(JSON.parse(last?.data ?? ""));
  });
});
