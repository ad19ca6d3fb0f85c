import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Provider, ProviderFactory } from "../../src/engine/index.js";
import { AllProvidersUnavailableError, StreamInterruptedError } from "../../src/errors/index.js";
import type { ChatRequest, ChatResult, ChatStreamPart, LlmProvider } from "../../src/llm/index.js";
import {
  createAnthropicProvider,
  createGeminiProvider,
  createOpenAIProvider,
} from "../../src/providers/index.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { streamedText } from "./provider-calls.test-helper.js";

// One logical model, "smart", served by three vendors through one ProviderFactory: each target
// rewrites the model to its own name, and each upstream sees its own wire format.

type ChatProvider = Provider<ChatRequest, ChatResult, ChatStreamPart>;

/** The adapter, with the request's (logical) model replaced by the target's model name. */
function withTargetModel(adapter: LlmProvider, model: string): ChatProvider {
  return {
    generate: (request, context) => adapter.generate({ ...request, model }, context),
    stream: (request, context) => adapter.stream({ ...request, model }, context),
    healthCheck: (context) => adapter.healthCheck(context),
  };
}

const TARGETS = {
  openai: "gpt-4o",
  anthropic: "claude-sonnet-4-5",
  gemini: "gemini-2.5-flash",
} as const;

const request: ChatRequest = {
  model: "smart",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Which city hosts the Louvre?" },
  ],
  maxTokens: 64,
};

let openaiMock: MockProviderServer;
let anthropicMock: MockProviderServer;
let geminiMock: MockProviderServer;
let adapters: LlmProvider[];
let factory: ProviderFactory<ChatRequest, ChatResult, ChatStreamPart>;

beforeAll(async () => {
  [openaiMock, anthropicMock, geminiMock] = await Promise.all([
    startMockProviderServer(),
    startMockProviderServer(),
    startMockProviderServer(),
  ]);
  adapters = [
    createOpenAIProvider({ apiKey: "sk-openai-key", baseUrl: `${openaiMock.url}/v1` }),
    createAnthropicProvider({ apiKey: "sk-ant-key", baseUrl: anthropicMock.url }),
    createGeminiProvider({ apiKey: "gemini-key", baseUrl: `${geminiMock.url}/v1beta` }),
  ];
});
afterAll(async () => {
  await Promise.all(adapters.map((adapter) => adapter.close()));
  await Promise.all([openaiMock.close(), anthropicMock.close(), geminiMock.close()]);
});
beforeEach(() => {
  for (const mock of [openaiMock, anthropicMock, geminiMock]) mock.reset();
  const [openai, anthropic, gemini] = adapters;
  if (!openai || !anthropic || !gemini) throw new Error("adapters not created");
  factory = new ProviderFactory<ChatRequest, ChatResult, ChatStreamPart>({
    retry: { maxAttempts: 1 },
    retryBudget: false,
  });
  factory
    .register("openai", withTargetModel(openai, TARGETS.openai), { priority: 1 })
    .register("anthropic", withTargetModel(anthropic, TARGETS.anthropic), { priority: 2 })
    .register("gemini", withTargetModel(gemini, TARGETS.gemini), { priority: 3 });
});
afterEach(async () => {
  await factory.close();
});

/** Primary 503, secondary 529 overloaded, tertiary answers. */
function scriptFailover(text: string): void {
  openaiMock.enqueue({ error: { status: 503 } });
  anthropicMock.enqueue({ error: { kind: "overloaded" } });
  geminiMock.enqueue({ reply: { text } });
}

function field(body: unknown, name: string): unknown {
  return typeof body === "object" && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

function expectEachUpstreamSawItsOwnWireFormat(streaming: boolean): void {
  const [openaiSent] = openaiMock.requests;
  expect(openaiSent).toMatchObject({
    route: "openai.chat",
    method: "POST",
    path: "/v1/chat/completions",
    body: {
      model: TARGETS.openai,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Which city hosts the Louvre?" },
      ],
      max_completion_tokens: 64,
    },
  });
  expect(openaiSent?.headers.authorization).toBe("Bearer sk-openai-key");
  expect(field(openaiSent?.body, "stream") === true).toBe(streaming);

  const [anthropicSent] = anthropicMock.requests;
  expect(anthropicSent).toMatchObject({
    route: "anthropic.messages",
    path: "/v1/messages",
    body: {
      model: TARGETS.anthropic,
      system: "Be brief.",
      messages: [{ role: "user", content: "Which city hosts the Louvre?" }],
      max_tokens: 64,
    },
  });
  expect(anthropicSent?.headers["x-api-key"]).toBe("sk-ant-key");
  expect(anthropicSent?.headers["anthropic-version"]).toBeDefined();
  expect(field(anthropicSent?.body, "stream") === true).toBe(streaming);

  const [geminiSent] = geminiMock.requests;
  const method = streaming ? "streamGenerateContent" : "generateContent";
  expect(geminiSent).toMatchObject({
    route: streaming ? "gemini.stream" : "gemini.generate",
    path: `/v1beta/models/${TARGETS.gemini}:${method}`,
    body: {
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [{ role: "user", parts: [{ text: "Which city hosts the Louvre?" }] }],
      generationConfig: { maxOutputTokens: 64 },
    },
  });
  expect(geminiSent?.headers["x-goog-api-key"]).toBe("gemini-key");
  expect(field(geminiSent?.body, "model")).toBeUndefined();

  for (const mock of [openaiMock, anthropicMock, geminiMock]) {
    expect(mock.requests).toHaveLength(1);
    expect(JSON.stringify(mock.requests[0]?.body)).not.toContain('"smart"');
  }
}

describe("cross-vendor failover for one logical model", () => {
  it("fails over from OpenAI (503) and Anthropic (529) to Gemini, non-streaming", async () => {
    scriptFailover("Paris.");
    const { result, report } = await factory.generateWithReport(request);
    expect(result).toMatchObject({ text: "Paris.", adapterType: "gemini", model: TARGETS.gemini });
    expect(report.targetId).toBe("gemini");
    expect(report.attempts.map((attempt) => attempt.outcome)).toEqual([
      "failure",
      "failure",
      "success",
    ]);
    expect(report.attempts.slice(0, 2)).toMatchObject([
      { targetId: "openai", kind: "transient", status: 503 },
      { targetId: "anthropic", kind: "transient", status: 529 },
    ]);
    expectEachUpstreamSawItsOwnWireFormat(false);
  });

  it("fails over the same way when streaming, before the first chunk", async () => {
    scriptFailover("The Louvre is in Paris.");
    const session = await factory.openStream(request);
    expect(session.targetId).toBe("gemini");
    const parts: ChatStreamPart[] = [];
    for await (const part of session) parts.push(part);
    expect(parts[0]).toMatchObject({ type: "response-metadata", model: TARGETS.gemini });
    expect(streamedText(parts)).toBe("The Louvre is in Paris.");
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
    expect(session.report.attempts.map((attempt) => [attempt.targetId, attempt.outcome])).toEqual([
      ["openai", "failure"],
      ["anthropic", "failure"],
      ["gemini", "success"],
    ]);
    expectEachUpstreamSawItsOwnWireFormat(true);
  });

  it("treats an error event inside a 200 stream before any output like a failed call", async () => {
    openaiMock.enqueue({ error: { status: 503 } });
    anthropicMock.enqueue({ fault: "error-event", afterChunks: 0, kind: "overloaded" });
    geminiMock.enqueue({ reply: { text: "Paris." } });
    const parts: ChatStreamPart[] = [];
    for await (const part of factory.stream(request)) parts.push(part);
    expect(streamedText(parts)).toBe("Paris.");
    expect(anthropicMock.requests).toHaveLength(1);
  });

  it("does not fail over once output has been delivered: the stream ends with StreamInterruptedError", async () => {
    openaiMock.enqueue({
      fault: "cut",
      afterChunks: 2,
      reply: { text: "The Louvre is in Paris." },
    });
    const parts: ChatStreamPart[] = [];
    let failure: unknown;
    try {
      for await (const part of factory.stream(request)) parts.push(part);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(StreamInterruptedError);
    expect((failure as StreamInterruptedError).targetId).toBe("openai");
    expect(streamedText(parts)).toBe("The Louvre ");
    expect(anthropicMock.requests).toHaveLength(0);
    expect(geminiMock.requests).toHaveLength(0);
  });

  it("reports every vendor's classified failure when all of them fail", async () => {
    openaiMock.enqueue({ error: { status: 503 } });
    anthropicMock.enqueue({ error: { kind: "overloaded" } });
    geminiMock.enqueue({ error: { kind: "quota" } });
    const error = await factory.generate(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AllProvidersUnavailableError);
    expect((error as AllProvidersUnavailableError).kinds).toEqual([
      "transient",
      "transient",
      "quota_exhausted",
    ]);
    expect(Object.keys((error as AllProvidersUnavailableError).errors)).toEqual([
      "openai",
      "anthropic",
      "gemini",
    ]);
  });
});
