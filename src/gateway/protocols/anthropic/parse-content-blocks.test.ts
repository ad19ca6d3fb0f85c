import { describe, expect, it } from "vitest";
import { parseMessagesRequest } from "./parse-messages-request.js";

function parse(body: Record<string, unknown>) {
  const parsed = parseMessagesRequest({ model: "m", max_tokens: 8, ...body });
  if (!parsed.ok) throw parsed.error;
  return parsed.value.request;
}

describe("Messages content blocks", () => {
  it("documents with their source, title and breakpoint; a tool's breakpoint", () => {
    const request = parse({
      tools: [
        {
          name: "f",
          input_schema: { type: "object" },
          cache_control: { type: "ephemeral", ttl: "1h" },
        },
      ],
      messages: [
        {
          role: "user",
          content: [
            {
              type: "document",
              source: { type: "url", url: "https://x/a.pdf" },
              title: "A",
              cache_control: { type: "ephemeral" },
            },
          ],
        },
      ],
    });
    expect(request.tools?.[0]?.cacheControl).toEqual({ type: "ephemeral", ttl: "1h" });
    expect(request.messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "document",
            source: { type: "url", url: "https://x/a.pdf" },
            title: "A",
            cacheControl: { type: "ephemeral" },
          },
        ],
      },
    ]);
  });

  it("a tool_result with an image: its text as content, every block as parts, is_error and its breakpoint", () => {
    const request = parse({
      messages: [
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "shot", input: {} }] },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "t1",
              is_error: true,
              cache_control: { type: "ephemeral" },
              content: [
                { type: "text", text: "blurred" },
                { type: "image", source: { type: "url", url: "https://x/a.png" } },
              ],
            },
          ],
        },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: "tool",
      toolCallId: "t1",
      name: "shot",
      content: "blurred",
      isError: true,
      cacheControl: { type: "ephemeral" },
      parts: [
        { type: "text", text: "blurred" },
        { type: "image", source: { type: "url", url: "https://x/a.png" } },
      ],
    });
  });

  it("a plain text-only tool_result has no parts; a single marked text block stays a part", () => {
    const request = parse({
      messages: [
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "f", input: {} }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "ok" }] },
            { type: "text", text: "next", cache_control: { type: "ephemeral" } },
          ],
        },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      { role: "tool", toolCallId: "t1", name: "f", content: "ok" },
      {
        role: "user",
        content: [{ type: "text", text: "next", cacheControl: { type: "ephemeral" } }],
      },
    ]);
  });
});
