/**
 * Content and caching across protocols (docs/wire-fidelity.md, "What crosses protocols"): documents,
 * files, audio, images in tool results, cache breakpoints and cache usage, each way, streamed and
 * not, with the official SDKs as clients and the mock vendors checking the bodies as their APIs do.
 * The Anthropic provider has `passThrough: false`, so a Messages client reaching it is translated
 * too: that is how the Anthropic adapter's rendering of the unified content is seen.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { MockRecordedRequest } from "../../src/testing/index.js";
import { failoverModel, rejectionOf, startHarness, upstreamCalls } from "./harness.js";

const ADMIN = "admin-key-content-test";
const h = await startHarness<"oa" | "an" | "gm">({
  mocks: ["oa", "an", "gm"],
  config: (mocks) => ({
    server: { adminKey: ADMIN },
    providers: [
      { name: "oa", type: "openai", baseUrl: `${mocks.oa.url}/v1`, keys: [{ key: "sk-oa" }] },
      {
        name: "an",
        type: "anthropic",
        baseUrl: mocks.an.url,
        keys: [{ key: "sk-an" }],
        passThrough: false,
      },
      { name: "gm", type: "gemini", baseUrl: `${mocks.gm.url}/v1beta`, keys: [{ key: "g-key" }] },
    ],
    models: [
      failoverModel("to-openai", [["oa", "gpt-4.1-mini"]]),
      failoverModel("to-anthropic", [["an", "claude-sonnet-4-5"]]),
      failoverModel("to-gemini", [["gm", "gemini-2.5-flash"]]),
      failoverModel("claude-then-gemini", [
        ["an", "claude-sonnet-4-5"],
        ["gm", "gemini-2.5-flash"],
      ]),
    ],
  }),
});
afterAll(() => h.close());
beforeEach(() => {
  for (const mock of Object.values(h.mocks)) mock.reset();
});

const PDF = "JVBERi0xLjQKJcfsj6IK";
const PNG = "iVBORw0KGgoAAAANSUhEUg==";
const CACHE_USAGE = { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 150 };

function upstream(mock: "oa" | "an" | "gm"): Record<string, unknown> {
  const calls: MockRecordedRequest[] = upstreamCalls(h.mocks[mock]);
  expect(calls).toHaveLength(1);
  return calls[0]?.body as Record<string, unknown>;
}

const TOOL = {
  name: "screenshot",
  description: "Takes a screenshot",
  input_schema: { type: "object" as const, properties: {} },
};

/** A Messages turn with a PDF, a tool whose result is an image and failed, and cache breakpoints. */
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

async function sendChat(
  model: string,
  stream: boolean,
  messages: unknown[],
): Promise<{ text: string; usage: OpenAI.CompletionUsage | undefined; provider: string | null }> {
  const client = h.openai();
  const params = {
    model,
    messages,
  } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
  if (!stream) {
    const { data, response } = await client.chat.completions.create(params).withResponse();
    return {
      text: data.choices[0]?.message.content ?? "",
      usage: data.usage,
      provider: response.headers.get("x-switchyard-provider"),
    };
  }
  const { data, response } = await client.chat.completions
    .create({ ...params, stream: true, stream_options: { include_usage: true } })
    .withResponse();
  let text = "";
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of data) {
    text += chunk.choices[0]?.delta.content ?? "";
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, usage, provider: response.headers.get("x-switchyard-provider") };
}

const CHAT_TURN = [
  {
    role: "system",
    content: [
      {
        type: "text",
        text: "You read documents.",
        cache_control: { type: "ephemeral", ttl: "1h" },
      },
      { type: "text", text: "Be brief." },
    ],
  },
  {
    role: "user",
    content: [
      {
        type: "file",
        file: { filename: "report.pdf", file_data: `data:application/pdf;base64,${PDF}` },
        cache_control: { type: "ephemeral" },
      },
      { type: "text", text: "Summarise it." },
    ],
  },
];

describe.each([false, true])("Chat Completions client (stream: %s)", (stream) => {
  it("to Anthropic: cache_control on parts (router convention) and a file part as a document block; cache usage back", async () => {
    h.mocks.an.enqueue({ reply: { text: "Done.", usage: CACHE_USAGE } });
    const answer = await sendChat("to-anthropic", stream, CHAT_TURN);
    expect(answer.text).toBe("Done.");
    const body = upstream("an");
    expect(body.system).toEqual([
      {
        type: "text",
        text: "You read documents.",
        cache_control: { type: "ephemeral", ttl: "1h" },
      },
      { type: "text", text: "Be brief." },
    ]);
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "document",
            source: { type: "base64", media_type: "application/pdf", data: PDF },
            title: "report.pdf",
            cache_control: { type: "ephemeral" },
          },
          { type: "text", text: "Summarise it." },
        ],
      },
    ]);
    expect(answer.usage).toMatchObject({
      prompt_tokens: 1200,
      prompt_tokens_details: { cached_tokens: 1000 },
    });
  });

  it("audio skips the Anthropic target (recorded in the trace) and reaches Gemini as inlineData", async () => {
    h.mocks.gm.enqueue({ reply: { text: "Heard." } });
    const answer = await sendChat("claude-then-gemini", stream, [
      {
        role: "user",
        content: [
          { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
          { type: "text", text: "Transcribe." },
        ],
      },
    ]);
    expect(answer.provider).toBe("gm");
    expect(upstreamCalls(h.mocks.an)).toHaveLength(0);
    const contents = upstream("gm").contents as { parts: unknown[] }[];
    expect(contents[0]?.parts).toEqual([
      { inlineData: { mimeType: "audio/wav", data: "UklGRg==" } },
      { text: "Transcribe." },
    ]);
  });
});

describe("content no target can take", () => {
  it("audio to a model served only by Anthropic: a 400 naming the content and the target", async () => {
    const error = await rejectionOf(
      sendChat("to-anthropic", false, [
        {
          role: "user",
          content: [{ type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }],
        },
      ]),
    );
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain(
      "an/claude-sonnet-4-5: its protocol cannot carry audio input ('audio')",
    );
    expect(upstreamCalls(h.mocks.an)).toHaveLength(0);
  });

  it("a file_id (a file uploaded to OpenAI) cannot be translated: a 400 naming the field", async () => {
    const error = await rejectionOf(
      sendChat("to-gemini", false, [
        { role: "user", content: [{ type: "file", file: { file_id: "file-abc" } }] },
      ]),
    );
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain("messages[0].content[0].file.file_id");
    expect(upstreamCalls(h.mocks.gm)).toHaveLength(0);
  });

  it("the skipped target is in the trace with its reason", async () => {
    h.mocks.gm.enqueue({ reply: { text: "Heard." } });
    const { response } = await h
      .openai()
      .chat.completions.create({
        model: "claude-then-gemini",
        messages: [
          {
            role: "user",
            content: [{ type: "input_audio", input_audio: { data: "UklGRg==", format: "mp3" } }],
          },
        ],
      })
      .withResponse();
    await h.settled();
    const id = response.headers.get("x-request-id") ?? "";
    const trace = (await (
      await fetch(`${h.url}/admin/requests/${id}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json()) as { request: { attempts: Record<string, unknown>[] } };
    expect(trace.request.attempts).toEqual([
      expect.objectContaining({
        targetId: "an/claude-sonnet-4-5",
        outcome: "skipped",
        skippedReason: "ineligible",
        message: "its protocol cannot carry audio input ('audio')",
      }),
      expect.objectContaining({ targetId: "gm/gemini-2.5-flash", outcome: "success" }),
    ]);
  });
});

describe.each([false, true])("Responses client (stream: %s)", (stream) => {
  async function respond(model: string, input: unknown[]): Promise<string> {
    const params = { model, input } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming;
    if (!stream) return (await h.openai().responses.create(params)).output_text;
    const events = await h.openai().responses.create({ ...params, stream: true });
    let text = "";
    for await (const event of events)
      if (event.type === "response.output_text.delta") text += event.delta;
    return text;
  }

  it("an input_file goes to Anthropic as a document; a function output's image to Gemini's functionResponse.parts", async () => {
    h.mocks.an.enqueue({ reply: { text: "Read." } });
    expect(
      await respond("to-anthropic", [
        {
          role: "user",
          content: [
            {
              type: "input_file",
              filename: "report.pdf",
              file_data: `data:application/pdf;base64,${PDF}`,
            },
            { type: "input_text", text: "Summarise." },
          ],
        },
      ]),
    ).toBe("Read.");
    expect((upstream("an").messages as { content: unknown[] }[])[0]?.content[0]).toEqual({
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: PDF },
      title: "report.pdf",
    });

    h.mocks.gm.enqueue({ reply: { text: "Seen." } });
    await respond("to-gemini", [
      { role: "user", content: "Take a screenshot." },
      { type: "function_call", call_id: "call_1", name: "screenshot", arguments: "{}" },
      {
        type: "function_call_output",
        call_id: "call_1",
        output: [
          { type: "input_text", text: '{"ok":true}' },
          { type: "input_image", image_url: `data:image/png;base64,${PNG}` },
        ],
      },
    ]);
    const contents = upstream("gm").contents as { parts: unknown[] }[];
    expect(contents[2]?.parts[0]).toEqual({
      functionResponse: {
        name: "screenshot",
        response: { ok: true },
        parts: [{ inlineData: { mimeType: "image/png", data: PNG } }],
      },
    });
  });
});
