import { describe, expect, it } from "vitest";
import { parseChatRequest } from "./parse-chat-request.js";

function messagesOf(messages: unknown[]) {
  const parsed = parseChatRequest({ model: "m", messages });
  if (!parsed.ok) throw parsed.error;
  return parsed.value.request.messages;
}

describe("Chat Completions content parts", () => {
  it("a file part as a document: a data URL's type, or bare base64 typed by the file name", () => {
    expect(
      messagesOf([
        {
          role: "user",
          content: [
            {
              type: "file",
              file: { file_data: "data:application/pdf;base64,JVBE", filename: "a.pdf" },
            },
            { type: "file", file: { file_data: "bm90ZXM=", filename: "notes.txt" } },
          ],
        },
      ]),
    ).toEqual([
      {
        role: "user",
        content: [
          {
            type: "document",
            source: { type: "base64", mediaType: "application/pdf", data: "JVBE" },
            title: "a.pdf",
          },
          {
            type: "document",
            source: { type: "base64", mediaType: "text/plain", data: "bm90ZXM=" },
            title: "notes.txt",
          },
        ],
      },
    ]);
  });

  it("marked system parts become one system message each; marked tool text parts are kept as parts", () => {
    const mark = { type: "ephemeral", ttl: "1h" };
    expect(
      messagesOf([
        {
          role: "system",
          content: [
            { type: "text", text: "a", cache_control: mark },
            { type: "text", text: "b" },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        {
          role: "tool",
          tool_call_id: "c",
          content: [{ type: "text", text: "r", cache_control: mark }],
        },
      ]),
    ).toEqual([
      { role: "system", content: "a", cacheControl: mark },
      { role: "system", content: "b" },
      { role: "assistant", content: null, toolCalls: [{ id: "c", name: "f", arguments: "{}" }] },
      {
        role: "tool",
        toolCallId: "c",
        content: "r",
        name: "f",
        parts: [{ type: "text", text: "r", cacheControl: mark }],
      },
    ]);
  });

  it("a file_id is refused on a param the pass-through may still take", () => {
    const parsed = parseChatRequest({
      model: "m",
      messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-1" } }] }],
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.param).toBe("messages[0].content[0].file.file_id");
  });
});
