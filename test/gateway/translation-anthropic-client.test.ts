/**
 * Translation: an Anthropic-format client served by an OpenAI upstream, streaming and tool calls
 * included. The upstream must receive the Chat Completions format, with its own auth header.
 */
import { describe, expect, it } from "vitest";
import { startTwoVendorHarness } from "./two-vendor-harness.js";

const h = await startTwoVendorHarness([
  ["via-anthropic", "an", "claude-haiku-4-5"],
  ["via-openai", "oa", "gpt-4.1-mini"],
]);

const ANTHROPIC_TOOL = {
  name: "lookup",
  description: "Looks a word up",
  input_schema: {
    type: "object" as const,
    properties: { word: { type: "string" } },
    required: ["word"],
  },
};

interface OpenAIWireBody {
  model: string;
  messages: Array<Record<string, unknown>>;
  tools?: Array<Record<string, unknown>>;
  stream?: boolean;
  stream_options?: unknown;
}

describe("Anthropic client, OpenAI upstream", () => {
  it("sends the Chat Completions format upstream and answers a message", async () => {
    h.mocks.openai.enqueue({
      reply: { text: "Two words.", usage: { inputTokens: 8, outputTokens: 2 } },
    });
    const message = await h.anthropic().messages.create({
      model: "via-openai",
      max_tokens: 40,
      system: "Be terse.",
      messages: [{ role: "user", content: "Describe yourself." }],
    });
    expect(message.content).toEqual([{ type: "text", text: "Two words." }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 2 });
    expect(h.mocks.anthropic.requests).toHaveLength(0);
    const [upstream] = h.mocks.openai.requests;
    expect(upstream?.route).toBe("openai.chat");
    expect(upstream?.headers.authorization).toBe("Bearer sk-oa-upstream");
    expect(upstream?.headers["x-api-key"]).toBeUndefined();
    expect(upstream?.headers["anthropic-version"]).toBeUndefined();
    const body = upstream?.body as OpenAIWireBody;
    expect(body.model).toBe("gpt-4.1-mini");
    expect(body.messages).toEqual([
      { role: "system", content: "Be terse." },
      { role: "user", content: "Describe yourself." },
    ]);
    expect(body).not.toHaveProperty("system");
  });

  it("translates tools, tool_use and tool_result", async () => {
    h.mocks.openai.enqueue(
      { reply: { toolCalls: [{ id: "call_x1", name: "lookup", arguments: { word: "fog" } }] } },
      { reply: { text: "Low cloud." } },
    );
    const client = h.anthropic();
    const first = await client.messages.create({
      model: "via-openai",
      max_tokens: 64,
      tools: [ANTHROPIC_TOOL],
      messages: [{ role: "user", content: "Define fog." }],
    });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toContainEqual({
      type: "tool_use",
      id: "call_x1",
      name: "lookup",
      input: { word: "fog" },
    });
    const firstBody = h.mocks.openai.requests[0]?.body as OpenAIWireBody;
    expect(firstBody.tools).toEqual([
      {
        type: "function",
        function: expect.objectContaining({
          name: "lookup",
          parameters: ANTHROPIC_TOOL.input_schema,
        }),
      },
    ]);

    const second = await client.messages.create({
      model: "via-openai",
      max_tokens: 64,
      tools: [ANTHROPIC_TOOL],
      messages: [
        { role: "user", content: "Define fog." },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "call_x1", content: "cloud at ground" }],
        },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Low cloud." }]);
    const secondBody = h.mocks.openai.requests[1]?.body as OpenAIWireBody;
    const assistant = secondBody.messages.find((message) => message.role === "assistant");
    expect(assistant).toMatchObject({
      tool_calls: [{ id: "call_x1", type: "function", function: { name: "lookup" } }],
    });
    const tool = secondBody.messages.find((message) => message.role === "tool");
    expect(tool).toMatchObject({ tool_call_id: "call_x1" });
    expect(JSON.stringify(tool?.content)).toContain("cloud at ground");
  });

  it("streams text from an OpenAI stream as Messages events", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Fog is a cloud at ground level." } });
    const stream = h.anthropic().messages.stream({
      model: "via-openai",
      max_tokens: 64,
      messages: [{ role: "user", content: "What is fog?" }],
    });
    const deltas: string[] = [];
    stream.on("text", (delta) => deltas.push(delta));
    const final = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(1);
    expect(final.content).toEqual([{ type: "text", text: "Fog is a cloud at ground level." }]);
    expect(final.stop_reason).toBe("end_turn");
    const body = h.mocks.openai.requests[0]?.body as OpenAIWireBody;
    expect(body.stream).toBe(true);
  });

  it("streams tool_call argument deltas as tool_use input_json deltas", async () => {
    h.mocks.openai.enqueue({
      reply: { toolCalls: [{ id: "call_x2", name: "lookup", arguments: { word: "mist" } }] },
      chunkSize: 3,
    });
    const stream = h.anthropic().messages.stream({
      model: "via-openai",
      max_tokens: 64,
      tools: [ANTHROPIC_TOOL],
      messages: [{ role: "user", content: "Define mist." }],
    });
    let jsonDeltas = 0;
    stream.on("inputJson", () => jsonDeltas++);
    const final = await stream.finalMessage();
    expect(jsonDeltas).toBeGreaterThan(1);
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content).toContainEqual({
      type: "tool_use",
      id: "call_x2",
      name: "lookup",
      input: { word: "mist" },
    });
  });
});
