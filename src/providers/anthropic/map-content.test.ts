import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../llm/chat.js";
import { mapRequest } from "./map-request.js";

const OPTIONS = { defaultMaxTokens: 100, stream: false, provider: "anthropic" };

function body(messages: ChatMessage[], tools = false) {
  return mapRequest(
    {
      model: "claude",
      messages,
      ...(tools
        ? {
            tools: [
              { name: "a", parameters: {}, cacheControl: { type: "ephemeral" as const } },
              {
                name: "b",
                parameters: {},
                cacheControl: { type: "ephemeral" as const, ttl: "1h" },
              },
            ],
          }
        : {}),
    },
    OPTIONS,
  );
}

describe("Anthropic content mapping", () => {
  it("a text document inline (text/*, even base64) goes as a text source; a PDF as base64; a URL as url", () => {
    const mapped = body([
      {
        role: "user",
        content: [
          {
            type: "document",
            source: {
              type: "base64",
              mediaType: "text/markdown",
              data: Buffer.from("# Hi").toString("base64"),
            },
            title: "a.md",
          },
          {
            type: "document",
            source: { type: "base64", mediaType: "application/pdf", data: "JVBE" },
          },
          { type: "document", source: { type: "url", url: "https://x/a.pdf" } },
        ],
      },
    ]);
    expect(mapped.messages[0]?.content).toEqual([
      {
        type: "document",
        source: { type: "text", media_type: "text/plain", data: "# Hi" },
        title: "a.md",
      },
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBE" } },
      { type: "document", source: { type: "url", url: "https://x/a.pdf" } },
    ]);
  });

  it("one marked text block stays a block (the string short form has no cache_control)", () => {
    const mapped = body([
      {
        role: "user",
        content: [{ type: "text", text: "hi", cacheControl: { type: "ephemeral" } }],
      },
    ]);
    expect(mapped.messages[0]?.content).toEqual([
      { type: "text", text: "hi", cache_control: { type: "ephemeral" } },
    ]);
  });

  it("system messages join as a string unless one is marked, then go as blocks", () => {
    expect(
      body([
        { role: "system", content: "a" },
        { role: "system", content: "b" },
        { role: "user", content: "q" },
      ]).system,
    ).toBe("a\n\nb");
    expect(
      body([
        { role: "system", content: "a", cacheControl: { type: "ephemeral", ttl: "5m" } },
        { role: "system", content: "b" },
        { role: "user", content: "q" },
      ]).system,
    ).toEqual([
      { type: "text", text: "a", cache_control: { type: "ephemeral", ttl: "5m" } },
      { type: "text", text: "b" },
    ]);
  });

  it("a tool message: parts as blocks, is_error, its own breakpoint", () => {
    const mapped = body([
      { role: "assistant", content: null, toolCalls: [{ id: "t1", name: "a", arguments: "{}" }] },
      {
        role: "tool",
        toolCallId: "t1",
        content: "shot",
        isError: true,
        cacheControl: { type: "ephemeral" },
        parts: [
          { type: "text", text: "shot" },
          { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBO" } },
        ],
      },
    ]);
    expect(mapped.messages[1]?.content).toEqual([
      {
        type: "tool_result",
        tool_use_id: "t1",
        content: [
          { type: "text", text: "shot" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBO" } },
        ],
        is_error: true,
        cache_control: { type: "ephemeral" },
      },
    ]);
  });

  it("keeps the last four breakpoints in prompt order: tools, system, then messages", () => {
    const mark = { type: "ephemeral" as const };
    const mapped = body(
      [
        { role: "system", content: "s", cacheControl: mark },
        {
          role: "user",
          content: [
            { type: "text", text: "1", cacheControl: mark },
            { type: "text", text: "2", cacheControl: mark },
          ],
        },
      ],
      true,
    );
    expect(mapped.tools?.map((tool) => tool.cache_control)).toEqual([
      undefined,
      { type: "ephemeral", ttl: "1h" },
    ]);
    expect(mapped.system).toEqual([{ type: "text", text: "s", cache_control: mark }]);
    expect(JSON.stringify(mapped).match(/cache_control/g)).toHaveLength(4);
  });
});
