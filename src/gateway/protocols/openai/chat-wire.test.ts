import { describe, expect, it } from "vitest";
import { chatWire } from "./chat-wire.js";

const chunk = (fields: Record<string, unknown>) =>
  JSON.stringify({ id: "c1", object: "chat.completion.chunk", ...fields });
const USAGE = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };

describe("chatWire.relay", () => {
  const relayed = (data: string, includeUsage: boolean) =>
    chatWire.relay({ includeUsage })({ event: undefined, data });

  it("leaves out the usage-only chunk the gateway asked for when the client did not", () => {
    const usageOnly = chunk({ choices: [], usage: USAGE });
    expect(relayed(usageOnly, false)).toBe("");
    expect(relayed(usageOnly, true)).toBe(`data: ${usageOnly}\n\n`);
  });

  it("relays every other chunk as sent: null usage, usage beside choices, spaces, nested usage keys", () => {
    const others = [
      chunk({
        choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }],
        usage: null,
      }),
      chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: USAGE }),
      chunk({ choices: [{ index: 0, delta: { content: '"usage": {' } }], usage: null }),
      '{"id":"c1","choices":[{"index":0,"delta":{"content":"x"}}],"usage" : null}',
      "[DONE]",
    ];
    for (const data of others) expect(relayed(data, false)).toBe(`data: ${data}\n\n`);
  });

  it("finds a usage object that is not the last usage key, with spaces around the colon", () => {
    const data = '{"id":"c1","usage" : {"total_tokens":5},"choices":[],"extra":{"usage":null}}';
    expect(relayed(data, false)).toBe("");
  });
});
