/**
 * Content and caching across protocols (docs/wire-fidelity.md, "What crosses protocols"):
 * documents, files, audio, images in tool results, cache breakpoints and cache usage, each way,
 * streamed and not, with the official SDKs as clients and the mock vendors checking the bodies as
 * their APIs do.
 * This file: a Chat Completions client, and content no target can take. Setup in
 * content-across-protocols-harness.ts.
 */
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import {
  CONTENT_ADMIN_KEY as ADMIN,
  CACHE_USAGE,
  PDF,
  startContentHarness,
} from "./content-across-protocols-harness.js";
import { rejectionOf, upstreamCalls } from "./harness.js";

const { h, upstream } = await startContentHarness();

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
