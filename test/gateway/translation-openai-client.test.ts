/**
 * Translation: an OpenAI-format client served by an Anthropic upstream, streaming and tool calls
 * included. The upstream must receive the Messages format, with its own auth headers.
 */
import type { ChatCompletionChunk } from "openai/resources";
import { describe, expect, it } from "vitest";
import { startTwoVendorHarness } from "./two-vendor-harness.js";

const h = await startTwoVendorHarness([
  ["via-anthropic", "an", "claude-haiku-4-5"],
  ["via-openai", "oa", "gpt-4.1-mini"],
]);

const OPENAI_TOOL = {
  type: "function" as const,
  function: {
    name: "lookup",
    description: "Looks a word up",
    parameters: { type: "object", properties: { word: { type: "string" } }, required: ["word"] },
  },
};
interface AnthropicWireBody {
  model: string;
  max_tokens: number;
  system?: unknown;
  messages: Array<{ role: string; content: unknown }>;
  tools?: Array<Record<string, unknown>>;
  stream?: boolean;
}
describe("OpenAI client, Anthropic upstream", () => {
  it("sends the Messages format upstream and answers a chat completion", async () => {
    h.mocks.anthropic.enqueue({
      reply: { text: "A lexicon.", usage: { inputTokens: 11, outputTokens: 3 } },
    });
    const completion = await h.openai().chat.completions.create({
      model: "via-anthropic",
      messages: [
        { role: "system", content: "Answer in two words." },
        { role: "user", content: "What is a dictionary?" },
      ],
      max_tokens: 50,
    });
    expect(completion.choices[0]?.message.content).toBe("A lexicon.");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 3 });
    expect(h.mocks.openai.requests).toHaveLength(0);
    const [upstream] = h.mocks.anthropic.requests;
    expect(upstream?.route).toBe("anthropic.messages");
    expect(upstream?.headers["x-api-key"]).toBe("sk-an-upstream");
    expect(upstream?.headers["anthropic-version"]).toBeDefined();
    expect(upstream?.headers.authorization).toBeUndefined();
    const body = upstream?.body as AnthropicWireBody;
    expect(body.model).toBe("claude-haiku-4-5");
    expect(body.max_tokens).toBe(50);
    expect(JSON.stringify(body.system)).toContain("Answer in two words.");
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]?.role).toBe("user");
    expect(JSON.stringify(body.messages[0]?.content)).toContain("What is a dictionary?");
  });

  it("translates tool definitions, tool_calls and tool results both ways", async () => {
    h.mocks.anthropic.enqueue(
      { reply: { toolCalls: [{ id: "toolu_t1", name: "lookup", arguments: { word: "gale" } }] } },
      { reply: { text: "A strong wind." } },
    );
    const client = h.openai();
    const first = await client.chat.completions.create({
      model: "via-anthropic",
      messages: [{ role: "user", content: "Define gale." }],
      tools: [OPENAI_TOOL],
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call).toMatchObject({
      id: "toolu_t1",
      type: "function",
      function: { name: "lookup" },
    });
    if (call?.type !== "function") throw new Error("expected a function tool call");
    expect(JSON.parse(call.function.arguments)).toEqual({ word: "gale" });
    const firstBody = h.mocks.anthropic.requests[0]?.body as AnthropicWireBody;
    expect(firstBody.tools).toEqual([
      expect.objectContaining({
        name: "lookup",
        description: "Looks a word up",
        input_schema: OPENAI_TOOL.function.parameters,
      }),
    ]);

    const second = await client.chat.completions.create({
      model: "via-anthropic",
      tools: [OPENAI_TOOL],
      messages: [
        { role: "user", content: "Define gale." },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "toolu_t1",
              type: "function",
              function: { name: "lookup", arguments: '{"word":"gale"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "toolu_t1", content: "a very strong wind" },
      ],
    });
    expect(second.choices[0]?.message.content).toBe("A strong wind.");
    const secondBody = h.mocks.anthropic.requests[1]?.body as AnthropicWireBody;
    expect(secondBody.messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "user",
    ]);
    expect(secondBody.messages[1]?.content).toEqual([
      expect.objectContaining({
        type: "tool_use",
        id: "toolu_t1",
        name: "lookup",
        input: { word: "gale" },
      }),
    ]);
    expect(secondBody.messages[2]?.content).toEqual([
      expect.objectContaining({ type: "tool_result", tool_use_id: "toolu_t1" }),
    ]);
    expect(JSON.stringify(secondBody.messages[2]?.content)).toContain("a very strong wind");
  });

  it("streams text and usage from an Anthropic stream as chat completion chunks", async () => {
    h.mocks.anthropic.enqueue({
      reply: { text: "Wind is moving air.", usage: { inputTokens: 6, outputTokens: 5 } },
    });
    const stream = await h.openai().chat.completions.create({
      model: "via-anthropic",
      messages: [{ role: "user", content: "What is wind?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(
      "Wind is moving air.",
    );
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === "stop")).toBe(true);
    expect(chunks[chunks.length - 1]?.usage).toMatchObject({
      prompt_tokens: 6,
      completion_tokens: 5,
    });
    const body = h.mocks.anthropic.requests[0]?.body as AnthropicWireBody;
    expect(body.stream).toBe(true);
    expect(body).not.toHaveProperty("stream_options");
  });

  it("streams tool_use input deltas as tool_call argument deltas", async () => {
    h.mocks.anthropic.enqueue({
      reply: { toolCalls: [{ id: "toolu_t2", name: "lookup", arguments: { word: "squall" } }] },
      chunkSize: 4,
    });
    const runner = h.openai().chat.completions.stream({
      model: "via-anthropic",
      messages: [{ role: "user", content: "Define squall." }],
      tools: [OPENAI_TOOL],
    });
    let argumentDeltas = 0;
    runner.on("chunk", (chunk) => {
      if (chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments) argumentDeltas++;
    });
    const final = await runner.finalChatCompletion();
    expect(argumentDeltas).toBeGreaterThan(1);
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({ id: "toolu_t2", type: "function", function: { name: "lookup" } });
    if (call?.type !== "function") throw new Error("expected a function tool call");
    expect(JSON.parse(call.function.arguments)).toEqual({ word: "squall" });
  });
});
