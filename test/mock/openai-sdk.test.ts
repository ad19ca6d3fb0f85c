import OpenAI, { type APIError, type RateLimitError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";

// The official `openai` SDK, pointed at the mock, parses its answers, streams and errors.

let mock: MockProviderServer;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockProviderServer();
  client = new OpenAI({ apiKey: "sk-test", baseURL: `${mock.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

const MESSAGES = [{ role: "user" as const, content: "Weather in Paris?" }];
const TOOLS = [
  {
    type: "function" as const,
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  },
];

describe("chat completions", () => {
  it("parses a text reply with usage", async () => {
    mock.enqueue({
      reply: {
        text: "It is sunny.",
        usage: { inputTokens: 12, outputTokens: 4, cachedInputTokens: 2 },
      },
    });
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: MESSAGES,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4o-mini");
    expect(completion.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "It is sunny.",
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 12,
      completion_tokens: 4,
      total_tokens: 16,
      prompt_tokens_details: { cached_tokens: 2 },
    });
    expect(mock.requests[0]?.body).toMatchObject({ model: "gpt-4o-mini", messages: MESSAGES });
    expect(mock.requests[0]?.headers.authorization).toBe("Bearer sk-test");
  });

  it("parses tool calls", async () => {
    mock.enqueue({
      reply: { toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] },
    });
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: MESSAGES,
      tools: TOOLS,
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: "call_1",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ]);
  });

  it("streams text deltas and the usage chunk", async () => {
    mock.enqueue({ reply: { text: "one two three", usage: { inputTokens: 7, outputTokens: 3 } } });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    const finishReasons: (string | null | undefined)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finishReasons.push(choice.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas).toEqual(["one ", "two ", "three"]);
    expect(finishReasons).toEqual(["stop"]);
    expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
  });

  it("streams tool calls that the SDK's stream helper assembles", async () => {
    mock.enqueue({
      reply: {
        text: "Let me check.",
        toolCalls: [
          { name: "get_weather", arguments: '{"city":"Paris"}' },
          { name: "get_weather", arguments: '{"city":"Rome"}' },
        ],
      },
      chunkSize: 5,
    });
    const stream = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: MESSAGES,
      tools: TOOLS,
    });
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0]?.message;
    expect(message?.content).toBe("Let me check.");
    const calls = message?.tool_calls?.map((call) =>
      call.type === "function" ? [call.id.startsWith("call_"), call.function.arguments] : [],
    );
    expect(calls).toEqual([
      [true, '{"city":"Paris"}'],
      [true, '{"city":"Rome"}'],
    ]);
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("throws the SDK's APIError for an in-stream error event", async () => {
    mock.enqueue({ fault: "error-event", afterChunks: 1, kind: "server" });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: MESSAGES,
      stream: true,
    });
    const deltas: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) deltas.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as APIError).message).toContain("The server had an error");
    expect(deltas.join("")).toBe("Hello ");
  });
});

describe("embeddings and models", () => {
  it("decodes the base64 embeddings the SDK asks for by default", async () => {
    mock.enqueue({ reply: { embeddings: [[0.5, -0.25, 1]] } });
    const response = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["a", "b"],
    });
    expect(mock.requests[0]?.body).toMatchObject({ encoding_format: "base64" });
    expect(response.data.map((item) => item.embedding)).toEqual([
      [0.5, -0.25, 1],
      [0.5, -0.25, 1],
    ]);
    expect(response.model).toBe("text-embedding-3-small");
  });

  it("returns float embeddings of the requested dimensions, the same for the same text", async () => {
    const response = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["same", "other", "same"],
      dimensions: 16,
      encoding_format: "float",
    });
    const [first, second, third] = response.data.map((item) => item.embedding);
    expect(first).toHaveLength(16);
    expect(third).toEqual(first);
    expect(second).not.toEqual(first);
    expect(response.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("lists and retrieves models", async () => {
    mock.enqueue({ reply: { models: ["gpt-a", "gpt-b"] } });
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["gpt-a", "gpt-b"]);
    const model = await client.models.retrieve("gpt-a");
    expect(model).toMatchObject({ id: "gpt-a", object: "model" });
  });
});

describe("errors", () => {
  const call = () => client.chat.completions.create({ model: "gpt-4o-mini", messages: MESSAGES });

  it("429 rate limit: RateLimitError with retry-after and rate-limit headers", async () => {
    mock.enqueue({ error: { kind: "rate_limit", retryAfterSeconds: 7 } });
    const error = await call().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as RateLimitError;
    expect(apiError.status).toBe(429);
    expect(apiError.code).toBe("rate_limit_exceeded");
    expect(apiError.headers.get("retry-after")).toBe("7");
    expect(apiError.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(apiError.headers.get("x-ratelimit-reset-requests")).toBe("7s");
    expect(apiError.requestID).toMatch(/^req_/);
  });

  it("429 quota: RateLimitError with code insufficient_quota", async () => {
    mock.enqueue({ error: { kind: "quota" } });
    const error = (await call().catch((failure: unknown) => failure)) as APIError;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe("insufficient_quota");
    expect(error.type).toBe("insufficient_quota");
  });

  it.each([
    [{ kind: "auth" }, OpenAI.AuthenticationError, 401, "invalid_api_key"],
    [{ kind: "permission" }, OpenAI.PermissionDeniedError, 403, null],
    [{ kind: "not_found" }, OpenAI.NotFoundError, 404, "model_not_found"],
    [{ kind: "context_length" }, OpenAI.BadRequestError, 400, "context_length_exceeded"],
    [{ kind: "content_filter" }, OpenAI.BadRequestError, 400, "invalid_prompt"],
    [{ status: 400 }, OpenAI.BadRequestError, 400, null],
    [{ kind: "server" }, OpenAI.InternalServerError, 500, null],
    [{ kind: "overloaded" }, OpenAI.InternalServerError, 503, null],
  ] as const)("%j: %o", async (spec, errorClass, status, code) => {
    mock.enqueue({ error: spec });
    const error = (await call().catch((failure: unknown) => failure)) as APIError;
    expect(error).toBeInstanceOf(errorClass);
    expect(error.status).toBe(status);
    expect(error.code ?? null).toBe(code);
  });

  it("uses the behaviour's message", async () => {
    mock.enqueue({ error: { status: 500, message: "boom" } });
    await expect(call()).rejects.toThrow("500 boom");
  });
});

describe("content parts", () => {
  it("takes file and input_audio parts; refuses an unknown audio format and an image in a tool message", async () => {
    mock.enqueue({ reply: { text: "Read.", usage: { inputTokens: 30, cachedInputTokens: 16 } } });
    const completion = await client.chat.completions.create({
      model: "gpt-4o-audio-preview",
      messages: [
        {
          role: "user",
          content: [
            {
              type: "file",
              file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBE" },
            },
            { type: "input_audio", input_audio: { data: "UklG", format: "wav" } },
          ],
        },
      ],
    });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(16);
    const flac = await client.chat.completions
      .create({
        model: "gpt-4o",
        messages: [
          {
            role: "user",
            content: [
              { type: "input_audio", input_audio: { data: "ZkxhQw==", format: "flac" as "wav" } },
            ],
          },
        ],
      })
      .catch((error: APIError) => error);
    expect(flac).toMatchObject({ status: 400 });
    const toolImage = await client.chat.completions
      .create({
        model: "gpt-4o",
        messages: [
          {
            role: "tool",
            tool_call_id: "c1",
            content: [{ type: "image_url", image_url: { url: "https://x/a.png" } }],
          } as unknown as OpenAI.Chat.ChatCompletionToolMessageParam,
        ],
      })
      .catch((error: APIError) => error);
    expect(toolImage).toMatchObject({ status: 400 });
  });
});
