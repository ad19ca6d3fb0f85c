import { ApiError, FinishReason, GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";

// The official `@google/genai` SDK, pointed at the mock, parses its answers, streams and errors.

let mock: MockProviderServer;
let ai: GoogleGenAI;

beforeAll(async () => {
  mock = await startMockProviderServer();
  ai = new GoogleGenAI({ apiKey: "gemini-test-key", httpOptions: { baseUrl: mock.url } });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

const MODEL = "gemini-2.5-flash";

describe("generateContent", () => {
  it("parses a text answer with usage", async () => {
    mock.enqueue({ reply: { text: "It is sunny.", usage: { inputTokens: 9, outputTokens: 4 } } });
    const response = await ai.models.generateContent({ model: MODEL, contents: "Weather?" });
    expect(response.text).toBe("It is sunny.");
    expect(response.candidates?.[0]?.finishReason).toBe(FinishReason.STOP);
    expect(response.usageMetadata).toMatchObject({
      promptTokenCount: 9,
      candidatesTokenCount: 4,
      totalTokenCount: 13,
    });
    expect(response.modelVersion).toBe(MODEL);
    expect(mock.requests[0]).toMatchObject({
      route: "gemini.generate",
      path: `/v1beta/models/${MODEL}:generateContent`,
    });
    expect(mock.requests[0]?.headers["x-goog-api-key"]).toBe("gemini-test-key");
  });

  it("parses function calls", async () => {
    mock.enqueue({
      reply: { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
    });
    const response = await ai.models.generateContent({ model: MODEL, contents: "Weather?" });
    expect(response.functionCalls).toEqual([{ name: "get_weather", args: { city: "Paris" } }]);
  });

  it("reports a length stop and a safety block", async () => {
    mock.enqueue(
      { reply: { text: "cut sho", finishReason: "length" } },
      { error: { kind: "content_filter" } },
    );
    const truncated = await ai.models.generateContent({ model: MODEL, contents: "x" });
    expect(truncated.candidates?.[0]?.finishReason).toBe(FinishReason.MAX_TOKENS);
    const blocked = await ai.models.generateContent({ model: MODEL, contents: "x" });
    expect(blocked.promptFeedback?.blockReason).toBe("SAFETY");
    expect(blocked.candidates).toBeUndefined();
  });
});

describe("generateContentStream", () => {
  it("streams text pieces; the last carries the finish reason and usage", async () => {
    mock.enqueue({ reply: { text: "one two three", usage: { inputTokens: 5, outputTokens: 3 } } });
    const stream = await ai.models.generateContentStream({ model: MODEL, contents: "Count" });
    const texts: (string | undefined)[] = [];
    const finishReasons: (string | undefined)[] = [];
    let total: number | undefined;
    for await (const chunk of stream) {
      texts.push(chunk.text);
      finishReasons.push(chunk.candidates?.[0]?.finishReason);
      total = chunk.usageMetadata?.totalTokenCount;
    }
    expect(texts).toEqual(["one ", "two ", "three"]);
    expect(finishReasons).toEqual([undefined, undefined, FinishReason.STOP]);
    expect(total).toBe(8);
    expect(mock.requests[0]).toMatchObject({
      route: "gemini.stream",
      url: `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
    });
  });

  it("streams a function call whole", async () => {
    mock.enqueue({
      reply: {
        text: "Checking.",
        toolCalls: [{ name: "get_weather", arguments: { city: "Rome" } }],
      },
    });
    const stream = await ai.models.generateContentStream({ model: MODEL, contents: "Weather?" });
    const calls: unknown[] = [];
    for await (const chunk of stream) calls.push(...(chunk.functionCalls ?? []));
    expect(calls).toEqual([{ name: "get_weather", args: { city: "Rome" } }]);
  });

  it("throws ApiError for an in-stream error", async () => {
    mock.enqueue({ fault: "error-event", afterChunks: 1, kind: "server" });
    const stream = await ai.models.generateContentStream({ model: MODEL, contents: "x" });
    const texts: (string | undefined)[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) texts.push(chunk.text);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(500);
    expect(texts).toEqual(["Hello "]);
  });
});

describe("embeddings and models", () => {
  it("embedContent uses batchEmbedContents", async () => {
    const response = await ai.models.embedContent({
      model: "text-embedding-004",
      contents: ["same", "other", "same"],
      config: { outputDimensionality: 12 },
    });
    const vectors = response.embeddings?.map((embedding) => embedding.values) ?? [];
    expect(vectors).toHaveLength(3);
    expect(vectors[0]).toHaveLength(12);
    expect(vectors[2]).toEqual(vectors[0]);
    expect(vectors[1]).not.toEqual(vectors[0]);
    expect(mock.requests[0]).toMatchObject({
      route: "gemini.embeddings",
      path: "/v1beta/models/text-embedding-004:batchEmbedContents",
    });
  });

  it("lists models", async () => {
    mock.enqueue({ reply: { models: ["gemini-a", "gemini-b"] } });
    const names: (string | undefined)[] = [];
    for await (const model of await ai.models.list()) names.push(model.name);
    expect(names).toEqual(["models/gemini-a", "models/gemini-b"]);
    expect(mock.requests[0]?.route).toBe("gemini.models");
  });
});

describe("errors", () => {
  const call = () => ai.models.generateContent({ model: MODEL, contents: "x" });

  /** The JSON body the SDK keeps as the error's message. */
  async function failWith(): Promise<{ status: number; body: { error: Record<string, unknown> } }> {
    const error = await call().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    return { status: apiError.status, body: JSON.parse(apiError.message) };
  }

  it("429 rate limit: RESOURCE_EXHAUSTED with a per-minute QuotaFailure and RetryInfo", async () => {
    mock.enqueue({ error: { kind: "rate_limit", retryAfterSeconds: 17 } });
    const { status, body } = await failWith();
    expect(status).toBe(429);
    expect(body.error).toMatchObject({ code: 429, status: "RESOURCE_EXHAUSTED" });
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          "@type": "type.googleapis.com/google.rpc.QuotaFailure",
          violations: [
            expect.objectContaining({
              quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
            }),
          ],
        }),
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "17s" },
      ]),
    );
  });

  it("quota: a per-day QuotaFailure", async () => {
    mock.enqueue({ error: { kind: "quota" } });
    const { body } = await failWith();
    expect(JSON.stringify(body.error.details)).toContain(
      "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
    );
  });

  it.each([
    [{ kind: "auth" }, 400, "INVALID_ARGUMENT", "API key not valid"],
    [{ kind: "permission" }, 403, "PERMISSION_DENIED", "permission"],
    [{ kind: "not_found" }, 404, "NOT_FOUND", "not supported for generateContent"],
    [{ kind: "context_length" }, 400, "INVALID_ARGUMENT", "exceeds the maximum number of tokens"],
    [{ kind: "server" }, 500, "INTERNAL", "internal error"],
    [{ kind: "overloaded" }, 503, "UNAVAILABLE", "overloaded"],
  ] as const)("%j", async (spec, status, rpcStatus, wording) => {
    mock.enqueue({ error: spec });
    const failure = await failWith();
    expect(failure.status).toBe(status);
    expect(failure.body.error.status).toBe(rpcStatus);
    expect(String(failure.body.error.message)).toContain(wording);
  });
});
