import { describe, expect, it } from "vitest";
import { mapChatRequest } from "./map-request.js";
import { mapResponsesRequest } from "./map-responses-request.js";

const OPTIONS = {
  stream: false,
  maxTokensField: "max_completion_tokens" as const,
  includeStreamUsage: true,
  providerOptionsKeys: [],
};

const IMAGE = {
  type: "image" as const,
  source: { type: "base64" as const, mediaType: "image/png", data: "iVBO" },
};

describe("OpenAI content mapping", () => {
  it("media from a run of tool results follows the whole run as one user message, each part under its call", () => {
    const body = mapChatRequest(
      {
        model: "gpt",
        messages: [
          {
            role: "assistant",
            content: null,
            toolCalls: [
              { id: "c1", name: "a", arguments: "{}" },
              { id: "c2", name: "b", arguments: "{}" },
            ],
          },
          {
            role: "tool",
            toolCallId: "c1",
            content: "one",
            parts: [{ type: "text", text: "one" }, IMAGE],
          },
          { role: "tool", toolCallId: "c2", content: "two", isError: true },
          { role: "user", content: "next" },
        ],
      },
      OPTIONS,
    );
    expect((body.messages as unknown[]).slice(1)).toEqual([
      { role: "tool", tool_call_id: "c1", content: "one" },
      { role: "tool", tool_call_id: "c2", content: "Error: two" },
      {
        role: "user",
        content: [
          { type: "text", text: "Attachments of the result of tool call c1:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } },
        ],
      },
      { role: "user", content: "next" },
    ]);
  });

  it("documents: a PDF as a file part, plain text as a text part; audio as input_audio; no cache_control", () => {
    const body = mapChatRequest(
      {
        model: "gpt",
        messages: [
          {
            role: "user",
            content: [
              {
                type: "document",
                source: { type: "base64", mediaType: "application/pdf", data: "JVBE" },
                cacheControl: { type: "ephemeral" },
              },
              {
                type: "document",
                source: { type: "text", mediaType: "text/plain", data: "notes" },
              },
              { type: "audio", format: "mp3", data: "SUQz" },
            ],
          },
        ],
      },
      OPTIONS,
    );
    expect((body.messages as { content: unknown }[])[0]?.content).toEqual([
      {
        type: "file",
        file: { filename: "document.pdf", file_data: "data:application/pdf;base64,JVBE" },
      },
      { type: "text", text: "notes" },
      { type: "input_audio", input_audio: { data: "SUQz", format: "mp3" } },
    ]);
  });

  it("Responses: a document by URL as input_file file_url; a tool result's media in function_call_output", () => {
    const body = mapResponsesRequest(
      {
        model: "gpt",
        messages: [
          {
            role: "user",
            content: [{ type: "document", source: { type: "url", url: "https://x/a.pdf" } }],
          },
          {
            role: "assistant",
            content: null,
            toolCalls: [{ id: "c1", name: "a", arguments: "{}" }],
          },
          {
            role: "tool",
            toolCallId: "c1",
            content: "one",
            parts: [{ type: "text", text: "one" }, IMAGE],
          },
        ],
      },
      { stream: false, providerOptionsKeys: [] },
    );
    const input = body.input as Record<string, unknown>[];
    expect(input[0]?.content).toEqual([{ type: "input_file", file_url: "https://x/a.pdf" }]);
    expect(input[2]).toEqual({
      type: "function_call_output",
      call_id: "c1",
      output: [
        { type: "input_text", text: "one" },
        { type: "input_image", image_url: "data:image/png;base64,iVBO", detail: "auto" },
      ],
    });
  });
});
