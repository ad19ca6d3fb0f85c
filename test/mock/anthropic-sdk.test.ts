import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";

// The official `@anthropic-ai/sdk`, pointed at the mock, parses its messages, streams and errors.

let mock: MockProviderServer;
let client: Anthropic;

beforeAll(async () => {
  mock = await startMockProviderServer();
  client = new Anthropic({ apiKey: "sk-ant-test", baseURL: mock.url, maxRetries: 0 });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

const PARAMS = {
  model: "claude-sonnet-4-6",
  max_tokens: 256,
  messages: [{ role: "user" as const, content: "Weather in Paris?" }],
};
const TOOLS = [
  {
    name: "get_weather",
    input_schema: { type: "object" as const, properties: { city: { type: "string" } } },
  },
];

describe("messages", () => {
  it("parses a text message with usage", async () => {
    mock.enqueue({
      reply: {
        text: "It is sunny.",
        usage: { inputTokens: 20, outputTokens: 4, cachedInputTokens: 5 },
      },
    });
    const message = await client.messages.create(PARAMS);
    expect(message.content).toEqual([{ type: "text", text: "It is sunny." }]);
    expect(message.model).toBe("claude-sonnet-4-6");
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({
      input_tokens: 15,
      cache_read_input_tokens: 5,
      output_tokens: 4,
    });
    expect(message.id).toMatch(/^msg_01/);
    expect(mock.requests[0]?.route).toBe("anthropic.messages");
    expect(mock.requests[0]?.headers["anthropic-version"]).toBeDefined();
  });

  it("parses tool_use blocks", async () => {
    mock.enqueue({
      reply: {
        text: "Checking.",
        toolCalls: [{ id: "toolu_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
      },
    });
    const message = await client.messages.create({ ...PARAMS, tools: TOOLS });
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "Checking." },
      { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
    ]);
  });

  it("streams with messages.stream() into the final message", async () => {
    mock.enqueue({ reply: { text: "one two three", usage: { outputTokens: 3 } } });
    const stream = client.messages.stream(PARAMS);
    const deltas: string[] = [];
    stream.on("text", (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas).toEqual(["one ", "two ", "three"]);
    expect(message.content).toEqual([{ type: "text", text: "one two three" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(3);
  });

  it("streams tool input as JSON deltas that the SDK reassembles", async () => {
    mock.enqueue({
      reply: {
        toolCalls: [
          { name: "get_weather", arguments: { city: "Paris" } },
          { name: "get_weather", arguments: { city: "Rome" } },
        ],
      },
      chunkSize: 4,
    });
    const message = await client.messages.stream({ ...PARAMS, tools: TOOLS }).finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(
      message.content.map((block) => (block.type === "tool_use" ? block.input : null)),
    ).toEqual([{ city: "Paris" }, { city: "Rome" }]);
  });

  it("streams raw events with stream: true, in Anthropic's order", async () => {
    mock.enqueue({ reply: { text: "hi there" } });
    const stream = await client.messages.create({ ...PARAMS, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it("throws the SDK's APIError for an in-stream error event", async () => {
    mock.enqueue({ fault: "error-event", afterChunks: 1, kind: "overloaded" });
    const stream = client.messages.stream(PARAMS);
    const failure = await stream.finalMessage().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as APIError).error).toMatchObject({
      type: "error",
      error: { type: "overloaded_error" },
    });
  });

  it("lists models when the request carries Anthropic's headers", async () => {
    mock.enqueue({ reply: { models: ["claude-a", "claude-b"] } });
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["claude-a", "claude-b"]);
    expect(mock.requests[0]?.route).toBe("anthropic.models");
  });
});

describe("errors", () => {
  const call = () => client.messages.create(PARAMS);

  it("429: RateLimitError with retry-after and anthropic-ratelimit headers", async () => {
    mock.enqueue({ error: { kind: "rate_limit", retryAfterSeconds: 12 } });
    const error = (await call().catch((failure: unknown) => failure)) as APIError;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.headers?.get("retry-after")).toBe("12");
    expect(error.headers?.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    const reset = Date.parse(error.headers?.get("anthropic-ratelimit-requests-reset") ?? "");
    expect(reset).toBeGreaterThan(Date.now());
    expect(error.requestID).toMatch(/^req_/);
    expect(error.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it("529 overloaded: OverloadedError, an InternalServerError", async () => {
    mock.enqueue({ error: { kind: "overloaded" } });
    const error = (await call().catch((failure: unknown) => failure)) as APIError;
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.status).toBe(529);
    expect(error.error).toMatchObject({
      error: { type: "overloaded_error", message: "Overloaded" },
    });
  });

  it("quota: a 400 about the credit balance", async () => {
    mock.enqueue({ error: { kind: "quota" } });
    const error = (await call().catch((failure: unknown) => failure)) as APIError;
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.message).toContain("credit balance is too low");
  });

  it.each([
    [{ kind: "auth" }, Anthropic.AuthenticationError, "authentication_error"],
    [{ kind: "permission" }, Anthropic.PermissionDeniedError, "permission_error"],
    [{ kind: "not_found" }, Anthropic.NotFoundError, "not_found_error"],
    [{ kind: "context_length" }, Anthropic.BadRequestError, "invalid_request_error"],
    [{ kind: "server" }, Anthropic.InternalServerError, "api_error"],
    [{ status: 402, kind: "quota" }, Anthropic.APIError, "billing_error"],
  ] as const)("%j: %o", async (spec, errorClass, type) => {
    mock.enqueue({ error: spec });
    const error = (await call().catch((failure: unknown) => failure)) as APIError;
    expect(error).toBeInstanceOf(errorClass);
    expect(error.error).toMatchObject({ type: "error", error: { type } });
  });
});

describe("content and caching", () => {
  it("takes documents and cache breakpoints, and reports cache writes apart from input_tokens", async () => {
    mock.enqueue({
      reply: {
        text: "Read.",
        usage: { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 150 },
      },
    });
    const message = await client.messages.create({
      ...PARAMS,
      system: [
        { type: "text", text: "Be brief.", cache_control: { type: "ephemeral", ttl: "1h" } },
      ],
      messages: [
        {
          role: "user",
          content: [
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: "JVBERi0x" },
              title: "a.pdf",
              cache_control: { type: "ephemeral" },
            },
            { type: "document", source: { type: "text", media_type: "text/plain", data: "notes" } },
            { type: "text", text: "Summarise." },
          ],
        },
      ],
    });
    expect(message.usage).toMatchObject({
      input_tokens: 50,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 150,
    });
  });

  it("refuses a fifth breakpoint, an audio block and a non-PDF base64 document, as the API does", async () => {
    const mark = { type: "ephemeral" as const };
    const five = Array.from({ length: 5 }, (_, index) => ({
      type: "text" as const,
      text: `part ${index}`,
      cache_control: mark,
    }));
    const tooMany = await client.messages
      .create({ ...PARAMS, messages: [{ role: "user", content: five }] })
      .catch((error: APIError) => error);
    expect(tooMany).toMatchObject({ status: 400 });
    expect(String((tooMany as APIError).message)).toContain(
      "A maximum of 4 blocks with cache_control",
    );
    const audio = await client.messages
      .create({
        ...PARAMS,
        messages: [{ role: "user", content: [{ type: "input_audio", data: "UklG" }] }],
      } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((error: APIError) => error);
    expect(audio).toMatchObject({ status: 400 });
    const docx = await client.messages
      .create({
        ...PARAMS,
        messages: [
          {
            role: "user",
            content: [
              {
                type: "document",
                source: { type: "base64", media_type: "application/msword", data: "AAAA" },
              } as unknown as Anthropic.DocumentBlockParam,
            ],
          },
        ],
      })
      .catch((error: APIError) => error);
    expect(docx).toMatchObject({ status: 400 });
  });
});
