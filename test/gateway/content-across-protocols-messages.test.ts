/**
 * Content and caching across protocols (docs/wire-fidelity.md, "What crosses protocols"):
 * documents, files, audio, images in tool results, cache breakpoints and cache usage, each way,
 * streamed and not, with the official SDKs as clients and the mock vendors checking the bodies as
 * their APIs do.
 * This file: a Messages client to each vendor. Setup in content-across-protocols-harness.ts.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { CACHE_USAGE, PDF, PNG, startContentHarness } from "./content-across-protocols-harness.js";
import { rejectionOf, upstreamCalls } from "./harness.js";

const { h, upstream } = await startContentHarness();

const TOOL = {
  name: "screenshot",
  description: "Takes a screenshot",
  input_schema: { type: "object" as const, properties: {} },
};

/**
 * A Messages turn with a PDF, a tool whose result is an image and failed, and cache breakpoints.
 */
const MESSAGES_TURN = {
  max_tokens: 64,
  system: [
    { type: "text", text: "You read documents.", cache_control: { type: "ephemeral", ttl: "1h" } },
  ],
  tools: [{ ...TOOL, cache_control: { type: "ephemeral" } }],
  messages: [
    {
      role: "user",
      content: [
        {
          type: "document",
          source: { type: "base64", media_type: "application/pdf", data: PDF },
          title: "report.pdf",
          cache_control: { type: "ephemeral" },
        },
        { type: "text", text: "Summarise it, then take a screenshot." },
      ],
    },
    {
      role: "assistant",
      content: [{ type: "tool_use", id: "toolu_1", name: "screenshot", input: {} }],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_1",
          is_error: true,
          content: [
            { type: "text", text: "blurred" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          ],
        },
      ],
    },
  ],
} as const;

async function sendMessages(
  model: string,
  stream: boolean,
  body: object = MESSAGES_TURN,
): Promise<Anthropic.Message> {
  const params = { ...body, model } as unknown as Anthropic.MessageCreateParamsNonStreaming;
  return stream
    ? h.anthropic().messages.stream(params).finalMessage()
    : h.anthropic().messages.create(params);
}

describe.each([false, true])("Messages client (stream: %s)", (stream) => {
  it("to Anthropic: documents, tool result images, is_error and every breakpoint with its ttl, exactly; cache usage back", async () => {
    h.mocks.an.enqueue({ reply: { text: "Done.", usage: CACHE_USAGE } });
    const message = await sendMessages("to-anthropic", stream);
    const body = upstream("an");
    expect(body.system).toEqual(MESSAGES_TURN.system);
    expect(body.tools).toEqual([
      {
        name: "screenshot",
        description: "Takes a screenshot",
        input_schema: TOOL.input_schema,
        cache_control: { type: "ephemeral" },
      },
    ]);
    expect(body.messages).toEqual(MESSAGES_TURN.messages);
    expect(message.usage).toMatchObject({
      input_tokens: 50,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 150,
    });
  });

  it("to OpenAI: the PDF as a file part, the tool's image in a user message after the tool message, no cache_control", async () => {
    h.mocks.oa.enqueue({
      reply: { text: "Done.", usage: { inputTokens: 900, cachedInputTokens: 512 } },
    });
    const message = await sendMessages("to-openai", stream);
    const body = upstream("oa");
    expect(JSON.stringify(body)).not.toContain("cache_control");
    const messages = body.messages as Record<string, unknown>[];
    expect(messages[1]).toEqual({
      role: "user",
      content: [
        {
          type: "file",
          file: { filename: "report.pdf", file_data: `data:application/pdf;base64,${PDF}` },
        },
        { type: "text", text: "Summarise it, then take a screenshot." },
      ],
    });
    expect(messages.slice(3)).toEqual([
      { role: "tool", tool_call_id: "toolu_1", content: "Error: blurred" },
      {
        role: "user",
        content: [
          { type: "text", text: "Attachments of the result of tool call toolu_1:" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
    ]);
    expect(message.usage).toMatchObject({
      input_tokens: 388,
      cache_read_input_tokens: 512,
      cache_creation_input_tokens: 0,
    });
  });

  it("to Gemini: the PDF as inlineData, the tool's image in functionResponse.parts, the failure under response.error", async () => {
    h.mocks.gm.enqueue({
      reply: { text: "Done.", usage: { inputTokens: 900, cachedInputTokens: 600 } },
    });
    const message = await sendMessages("to-gemini", stream);
    const contents = upstream("gm").contents as { role: string; parts: unknown[] }[];
    expect(contents[0]?.parts[0]).toEqual({
      inlineData: { mimeType: "application/pdf", data: PDF },
    });
    expect(contents[2]).toEqual({
      role: "user",
      parts: [
        {
          functionResponse: {
            name: "screenshot",
            response: { error: "blurred" },
            parts: [{ inlineData: { mimeType: "image/png", data: PNG } }],
          },
        },
      ],
    });
    expect(message.usage).toMatchObject({ input_tokens: 300, cache_read_input_tokens: 600 });
  });

  it("a document by URL goes to Gemini as fileData; OpenAI Chat has no place for it, so its target is skipped", async () => {
    h.mocks.gm.enqueue({ reply: { text: "Read." } });
    const byUrl = {
      max_tokens: 16,
      messages: [
        {
          role: "user",
          content: [
            { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } },
            { type: "text", text: "Read it." },
          ],
        },
      ],
    };
    await sendMessages("to-gemini", stream, byUrl);
    const contents = upstream("gm").contents as { parts: unknown[] }[];
    expect(contents[0]?.parts[0]).toEqual({
      fileData: { mimeType: "application/pdf", fileUri: "https://example.com/a.pdf" },
    });
    const error = await rejectionOf(sendMessages("to-openai", stream, byUrl));
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain("oa/gpt-4.1-mini");
    expect((error as Error).message).toContain("document-url");
    expect(upstreamCalls(h.mocks.oa)).toHaveLength(0);
  });

  it("more than four breakpoints: Anthropic gets the last four (it refuses a fifth)", async () => {
    h.mocks.an.enqueue({ reply: { text: "ok" } });
    const mark = { type: "ephemeral" } as const;
    const five = {
      max_tokens: 16,
      system: [
        { type: "text", text: "one", cache_control: mark },
        { type: "text", text: "two", cache_control: mark },
      ],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "three", cache_control: mark },
            { type: "text", text: "four", cache_control: mark },
            { type: "text", text: "five", cache_control: mark },
          ],
        },
      ],
    };
    await sendMessages("to-anthropic", stream, five);
    const body = upstream("an");
    expect(body.system).toEqual([
      { type: "text", text: "one" },
      { type: "text", text: "two", cache_control: mark },
    ]);
    expect(JSON.stringify(body).match(/cache_control/g)).toHaveLength(4);
  });
});
