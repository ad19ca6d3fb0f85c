/**
 * Reasoning across protocols, through the gateway with the official SDKs: effort and budgets mapped
 * by the one table, thinking in answers and streams rendered in the client's protocol, reasoning
 * tokens in usage, and another vendor's reasoning from earlier turns left out and noted in the trace.
 */
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { failoverModel, providerConfig, startHarness } from "./harness.js";

const ADMIN = "admin-key-reasoning";
type Names = "openai" | "anthropic" | "gemini";

const h = await startHarness<Names>({
  mocks: ["openai", "anthropic", "gemini"],
  config: (mocks) => ({
    server: { adminKey: ADMIN },
    providers: [
      providerConfig({ name: "oa", type: "openai", origin: mocks.openai.url }),
      providerConfig({ name: "an", type: "anthropic", origin: mocks.anthropic.url }),
      providerConfig({ name: "gm", type: "gemini", origin: `${mocks.gemini.url}/v1beta` }),
      providerConfig({
        name: "an-translated",
        type: "anthropic",
        origin: mocks.anthropic.url,
        extra: { passThrough: false },
      }),
    ],
    models: [
      failoverModel("via-openai", [["oa", "o4-mini"]]),
      failoverModel("via-anthropic", [["an", "claude-sonnet-4-5"]]),
      failoverModel("via-gemini", [["gm", "gemini-2.5-flash"]]),
      failoverModel("claude-translated", [["an-translated", "claude-sonnet-4-5"]]),
      failoverModel("thinks-then-fails", [
        ["an", "claude-sonnet-4-5"],
        ["oa", "gpt-4.1-mini"],
      ]),
    ],
  }),
});
afterAll(() => h.close());
beforeEach(() => {
  for (const mock of Object.values(h.mocks)) mock.reset();
});

const thinking = { text: "Two plus two is four.", signature: "c2lnbmVk" };
/** 40 output tokens of which 6 (a quarter of the thinking's characters) are reasoning. */
const reply = { text: "4", thinking, usage: { inputTokens: 9, outputTokens: 40 } };
const question = [{ role: "user" as const, content: "2+2?" }];

function upstreamBody(name: Names): Record<string, unknown> {
  return h.mocks[name].requests[0]?.body as Record<string, unknown>;
}

async function traceAttempts(requestId: string): Promise<Record<string, unknown>[]> {
  await h.settled();
  const answer = await fetch(`${h.url}/admin/requests/${requestId}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  const trace = (await answer.json()) as { request: { attempts: Record<string, unknown>[] } };
  return trace.request.attempts;
}

describe("Chat Completions client", () => {
  it("to Anthropic: reasoning_effort becomes a thinking budget; thinking comes back as reasoning_content", async () => {
    h.mocks.anthropic.enqueue({ reply });
    const completion = await h.openai().chat.completions.create({
      model: "via-anthropic",
      messages: question,
      reasoning_effort: "medium",
      temperature: 0.3,
    });
    const body = upstreamBody("anthropic");
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(body.max_tokens).toBeGreaterThan(8192);
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("reasoning_effort");
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.reasoning_content).toBe(thinking.text);
    expect(message.content).toBe("4");
  });

  it("to Anthropic, streamed: reasoning_content deltas come before the content", async () => {
    h.mocks.anthropic.enqueue({ reply });
    const stream = await h.openai().chat.completions.create({
      model: "via-anthropic",
      messages: question,
      reasoning_effort: "low",
      stream: true,
    });
    const order: string[] = [];
    let reasoning = "";
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
      if (typeof delta?.reasoning_content === "string") {
        order.push("reasoning");
        reasoning += delta.reasoning_content;
      }
      if (typeof delta?.content === "string" && delta.content !== "") order.push("content");
    }
    expect(order).toEqual(["reasoning", "content"]);
    expect(reasoning).toBe(thinking.text);
    expect(upstreamBody("anthropic").thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
  });

  it("to Gemini: reasoning_effort becomes thinkingBudget; thought tokens are reasoning tokens", async () => {
    h.mocks.gemini.enqueue({ reply }, { reply });
    const completion = await h.openai().chat.completions.create({
      model: "via-gemini",
      messages: question,
      reasoning_effort: "low",
    });
    const body = upstreamBody("gemini");
    expect(body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 2048 } });
    expect(completion.usage).toMatchObject({
      completion_tokens: 40,
      completion_tokens_details: { reasoning_tokens: 6 },
    });
    const stream = await h.openai().chat.completions.create({
      model: "via-gemini",
      messages: question,
      reasoning_effort: "low",
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: unknown;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage).toMatchObject({
      completion_tokens: 40,
      completion_tokens_details: { reasoning_tokens: 6 },
    });
  });

  it("to Anthropic: reasoning_content from an earlier turn is left out and noted in the trace", async () => {
    h.mocks.anthropic.enqueue({ reply: { text: "6" } });
    const { response } = await h
      .openai()
      .chat.completions.create({
        model: "via-anthropic",
        messages: [
          ...question,
          { role: "assistant", content: "4", reasoning_content: "adding" } as never,
          { role: "user", content: "3+3?" },
        ],
      })
      .withResponse();
    const messages = upstreamBody("anthropic").messages as { content: unknown }[];
    expect(messages[1]?.content).toBe("4");
    const attempts = await traceAttempts(response.headers.get("x-request-id") ?? "");
    expect(attempts).toEqual([
      expect.objectContaining({
        targetId: "an/claude-sonnet-4-5",
        outcome: "success",
        message: "omitted: reasoning x1 (from openai-chat)",
      }),
    ]);
  });
});

describe("Messages client", () => {
  it("to OpenAI: a thinking budget becomes reasoning_effort; reasoning comes back as unsigned thinking", async () => {
    h.mocks.openai.enqueue({ reply });
    const message = await h.anthropic().messages.create({
      model: "via-openai",
      max_tokens: 8000,
      thinking: { type: "enabled", budget_tokens: 3000 },
      messages: question,
    });
    const body = upstreamBody("openai");
    expect(body.reasoning_effort).toBe("medium");
    expect(body).not.toHaveProperty("thinking");
    expect(message.content).toEqual([
      { type: "thinking", thinking: thinking.text, signature: "" },
      { type: "text", text: "4" },
    ]);
  });

  it("to OpenAI, streamed: thinking_delta events before the text (a budget above high's is high)", async () => {
    h.mocks.openai.enqueue({ reply });
    const stream = h.anthropic().messages.stream({
      model: "via-openai",
      max_tokens: 8000,
      thinking: { type: "enabled", budget_tokens: 20_000 },
      messages: question,
    });
    const deltas: string[] = [];
    stream.on("streamEvent", (event) => {
      if (event.type === "content_block_delta") deltas.push(event.delta.type);
    });
    const message = await stream.finalMessage();
    expect(deltas[0]).toBe("thinking_delta");
    expect(deltas.at(-1)).toBe("text_delta");
    expect(message.content[0]).toEqual({
      type: "thinking",
      thinking: thinking.text,
      signature: "",
    });
    expect(upstreamBody("openai").reasoning_effort).toBe("high");
  });

  it("to OpenAI: thinking with its signature from an earlier turn is left out and noted in the trace", async () => {
    const history = [
      ...question,
      {
        role: "assistant" as const,
        content: [
          { type: "thinking" as const, thinking: "adding", signature: "sig-1" },
          { type: "text" as const, text: "4" },
        ],
      },
      { role: "user" as const, content: "3+3?" },
    ];
    h.mocks.openai.enqueue({ reply: { text: "6" } });
    const { response } = await h
      .anthropic()
      .messages.create({ model: "via-openai", max_tokens: 100, messages: history })
      .withResponse();
    const messages = upstreamBody("openai").messages as Record<string, unknown>[];
    expect(messages[1]).toEqual({ role: "assistant", content: "4" });
    const attempts = await traceAttempts(response.headers.get("request-id") ?? "");
    expect(attempts[0]).toMatchObject({ message: "omitted: reasoning x1 (from anthropic)" });
  });
});

describe("Messages client, Anthropic target translated", () => {
  it("replays thinking with its signature, first in its turn, and returns the new signature", async () => {
    h.mocks.anthropic.enqueue({ reply }, { reply });
    const history = [
      ...question,
      {
        role: "assistant" as const,
        content: [
          { type: "thinking" as const, thinking: "adding", signature: "sig-1" },
          { type: "redacted_thinking" as const, data: "opaque-1" },
          { type: "tool_use" as const, id: "toolu_1", name: "add", input: { a: 2 } },
        ],
      },
      {
        role: "user" as const,
        content: [{ type: "tool_result" as const, tool_use_id: "toolu_1", content: "4" }],
      },
    ];
    const request = {
      model: "claude-translated",
      max_tokens: 4000,
      thinking: { type: "enabled" as const, budget_tokens: 2000 },
      tools: [{ name: "add", input_schema: { type: "object" as const } }],
      messages: history,
    };
    const message = await h.anthropic().messages.create(request);
    const body = upstreamBody("anthropic");
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2000 });
    expect((body.messages as { content: unknown }[])[1]?.content).toEqual([
      { type: "thinking", thinking: "adding", signature: "sig-1" },
      { type: "redacted_thinking", data: "opaque-1" },
      { type: "tool_use", id: "toolu_1", name: "add", input: { a: 2 } },
    ]);
    expect(message.content[0]).toEqual({
      type: "thinking",
      thinking: thinking.text,
      signature: thinking.signature,
    });
    const streamed = await h.anthropic().messages.stream(request).finalMessage();
    expect(streamed.content[0]).toEqual({
      type: "thinking",
      thinking: thinking.text,
      signature: thinking.signature,
    });
  });
});

describe("Responses client", () => {
  it("to Anthropic: reasoning.effort becomes a budget; thinking comes back as a reasoning item", async () => {
    h.mocks.anthropic.enqueue({ reply });
    const response = await h.openai().responses.create({
      model: "via-anthropic",
      input: "2+2?",
      reasoning: { effort: "high", summary: "auto" },
    });
    expect(upstreamBody("anthropic").thinking).toEqual({
      type: "enabled",
      budget_tokens: 16384,
    });
    expect(response.output[0]).toMatchObject({
      type: "reasoning",
      summary: [{ type: "summary_text", text: thinking.text }],
    });
    expect(response.output[0]).not.toHaveProperty("encrypted_content");
    expect(response.output_text).toBe("4");
  });

  it("to an OpenAI chat target: reasoning.effort is reasoning_effort; reasoning_content a reasoning item", async () => {
    h.mocks.openai.enqueue({ reply });
    const response = await h.openai().responses.create({
      model: "via-openai",
      input: "2+2?",
      reasoning: { effort: "low" },
    });
    expect(upstreamBody("openai").reasoning_effort).toBe("low");
    expect(response.output[0]).toMatchObject({
      type: "reasoning",
      summary: [{ type: "summary_text", text: thinking.text }],
    });
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(6);
  });

  it("to Gemini, streamed: reasoning summary events before the text, reasoning tokens in usage", async () => {
    h.mocks.gemini.enqueue({ reply });
    const stream = await h.openai().responses.create({
      model: "via-gemini",
      input: "2+2?",
      reasoning: { effort: "minimal", summary: "auto" },
      stream: true,
    });
    const types: string[] = [];
    let completed: ResponseStreamEvent | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.completed") completed = event;
    }
    expect(upstreamBody("gemini").generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    const firstSummary = types.indexOf("response.reasoning_summary_text.delta");
    expect(firstSummary).toBeGreaterThan(-1);
    expect(firstSummary).toBeLessThan(types.indexOf("response.output_text.delta"));
    expect(completed?.type === "response.completed" && completed.response.usage).toMatchObject({
      output_tokens: 40,
      output_tokens_details: { reasoning_tokens: 6 },
    });
  });
});

describe("the streaming commit point", () => {
  it("reasoning is not output: a stream that fails after thinking, before any text, fails over", async () => {
    h.mocks.anthropic.enqueue({ fault: "cut", afterChunks: 5, reply: { text: "", thinking } });
    h.mocks.openai.enqueue({ reply: { text: "From the fallback." } });
    const stream = await h.openai().chat.completions.create({
      model: "thinks-then-fails",
      messages: question,
      reasoning_effort: "low",
      stream: true,
    });
    let content = "";
    let reasoning = "";
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
      if (typeof delta?.content === "string") content += delta.content;
      if (typeof delta?.reasoning_content === "string") reasoning += delta.reasoning_content;
    }
    expect(h.mocks.anthropic.requests).toHaveLength(1);
    expect(content).toBe("From the fallback.");
    expect(reasoning).toBe("");
  });
});
