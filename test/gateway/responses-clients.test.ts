/**
 * Real Responses API clients against the gateway: the AI SDK's default OpenAI provider
 * (`openai(model)` calls `POST /v1/responses`) and LangChain's `ChatOpenAI` with
 * `useResponsesApi: true`, on a Chat Completions target and an Anthropic target.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { failoverModel, providerConfig, startHarness } from "./harness.js";

const h = await startHarness<"openai" | "anthropic">({
  mocks: ["openai", "anthropic"],
  config: (mocks) => ({
    providers: [
      providerConfig({ name: "oa", type: "openai", origin: mocks.openai.url }),
      providerConfig({ name: "an", type: "anthropic", origin: mocks.anthropic.url }),
    ],
    models: [
      failoverModel("via-chat", [["oa", "gpt-4.1-mini"]]),
      failoverModel("via-anthropic", [["an", "claude-haiku-4-5"]]),
    ],
  }),
});
afterAll(() => h.close());
beforeEach(() => {
  h.mocks.openai.reset();
  h.mocks.anthropic.reset();
});

const aiSdk = () => createOpenAI({ baseURL: `${h.url}/v1`, apiKey: "sk-unused", fetch: h.fetch });

/** Every gateway path the clients called. */
async function pathsCalled(): Promise<string[]> {
  await h.settled();
  return h.responses.map((response) => new URL(response.url).pathname);
}

beforeEach(() => {
  h.responses.length = 0;
});

describe("the AI SDK's default OpenAI provider (Responses API)", () => {
  it.each([
    ["via-chat", "openai"],
    ["via-anthropic", "anthropic"],
  ] as const)("generateText through %s", async (model, mock) => {
    h.mocks[mock].enqueue({
      reply: { text: "Hello from the gateway.", usage: { inputTokens: 9 } },
    });
    const result = await generateText({ model: aiSdk()(model), prompt: "Say hello" });
    expect(result.text).toBe("Hello from the gateway.");
    expect(result.usage.inputTokens).toBe(9);
    expect(h.mocks[mock].requests).toHaveLength(1);
    expect(await pathsCalled()).toEqual(["/v1/responses"]);
  });

  it("streamText", async () => {
    h.mocks.anthropic.enqueue({ reply: { text: "one two three" } });
    const result = streamText({ model: aiSdk()("via-anthropic"), prompt: "Count" });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("one two three");
    expect(await result.finishReason).toBe("stop");
  });

  it("runs a tool loop: the tool's result goes back in the next turn", async () => {
    h.mocks.openai.enqueue({
      reply: { toolCalls: [{ id: "call_t", name: "get_weather", arguments: { city: "Lima" } }] },
    });
    h.mocks.openai.enqueue({ reply: { text: "It is 21 degrees in Lima." } });
    const result = await generateText({
      model: aiSdk()("via-chat"),
      prompt: "Weather in Lima?",
      stopWhen: stepCountIs(3),
      tools: {
        get_weather: tool({
          description: "The weather in a city",
          inputSchema: jsonSchema<{ city: string }>({
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
          }),
          execute: async ({ city }) => ({ city, celsius: 21 }),
        }),
      },
    });
    expect(result.text).toBe("It is 21 degrees in Lima.");
    const second = h.mocks.openai.requestsFor("openai.chat")[1]?.body as {
      messages: Record<string, unknown>[];
    };
    expect(second.messages.at(-1)).toMatchObject({
      role: "tool",
      tool_call_id: "call_t",
      content: expect.stringContaining("21"),
    });
  });
});

describe("LangChain ChatOpenAI with useResponsesApi", () => {
  const chat = (model: string) =>
    new ChatOpenAI({
      model,
      apiKey: "sk-unused",
      useResponsesApi: true,
      maxRetries: 0,
      configuration: { baseURL: `${h.url}/v1`, fetch: h.fetch },
    });

  it("invokes", async () => {
    h.mocks.anthropic.enqueue({ reply: { text: "Bonjour.", usage: { inputTokens: 11 } } });
    const message = await chat("via-anthropic").invoke("Say hello in French");
    expect(message.content).toEqual([expect.objectContaining({ text: "Bonjour." })]);
    expect(message.usage_metadata?.input_tokens).toBe(11);
    expect(await pathsCalled()).toEqual(["/v1/responses"]);
  });

  it("streams", async () => {
    h.mocks.openai.enqueue({ reply: { text: "a b c" } });
    let text = "";
    for await (const chunk of await chat("via-chat").stream("Letters")) {
      text += typeof chunk.content === "string" ? chunk.content : chunk.text;
    }
    expect(text).toBe("a b c");
  });
});
