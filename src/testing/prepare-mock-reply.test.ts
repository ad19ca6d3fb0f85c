import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prepareMockReply, splitText } from "./prepare-mock-reply.js";

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

describe("splitText", () => {
  it("splits into pieces that join back to the text and never split a surrogate pair", () => {
    const options = fc.oneof(
      fc.record({ chunks: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ chunkSize: fc.integer({ min: 1, max: 20 }) }),
      fc.constant({}),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 60 }),
        options,
        fc.boolean(),
        (text, opts, whole) => {
          const pieces = splitText(text, opts, whole);
          expect(pieces.join("")).toBe(text);
          expect(pieces.every((piece) => piece.length > 0)).toBe(true);
          for (const piece of pieces) {
            expect(isHighSurrogate(piece.charCodeAt(piece.length - 1))).toBe(false);
          }
          if ("chunks" in opts && opts.chunks !== undefined) {
            expect(pieces.length).toBeLessThanOrEqual(opts.chunks);
          }
          if ("chunkSize" in opts && opts.chunkSize !== undefined) {
            expect(pieces.every((piece) => piece.length <= opts.chunkSize + 1)).toBe(true);
          }
        },
      ),
    );
  });

  it("cuts text into words by default and keeps tool arguments whole", () => {
    expect(splitText("Hello from  the mock.", {}, false)).toEqual([
      "Hello ",
      "from  ",
      "the ",
      "mock.",
    ]);
    expect(splitText('{"a":1}', {}, true)).toEqual(['{"a":1}']);
    expect(splitText("abcdefg", { chunks: 3 }, false)).toEqual(["abc", "def", "g"]);
    expect(splitText("abcdefg", { chunkSize: 2 }, true)).toEqual(["ab", "cd", "ef", "g"]);
  });
});

describe("prepareMockReply", () => {
  it("fills defaults: text, finish reason, usage", () => {
    const prepared = prepareMockReply({}, {});
    expect(prepared.text).toBe("Hello from the mock provider.");
    expect(prepared.finishReason).toBe("stop");
    expect(prepared.usage).toEqual({
      inputTokens: 10,
      outputTokens: 8,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it("defaults to no text and a tool_calls finish when there are tool calls", () => {
    const prepared = prepareMockReply(
      { toolCalls: [{ name: "f", arguments: '{"x":[1,2]}' }] },
      { chunkSize: 4 },
    );
    expect(prepared.text).toBe("");
    expect(prepared.textChunks).toEqual([]);
    expect(prepared.finishReason).toBe("tool_calls");
    expect(prepared.toolCalls[0]).toMatchObject({
      arguments: '{"x":[1,2]}',
      argumentChunks: ['{"x"', ":[1,", "2]}"],
      input: { x: [1, 2] },
    });
  });
});
