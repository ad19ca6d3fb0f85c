import { describe, expect, it } from "vitest";
import { collect } from "../../../test/support/collect.js";
import type { ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { RefusedAnswerError, refuseIfFiltered, refuseIfFilteredFirst } from "./refusals.js";

const META: ChatStreamPart = { type: "response-metadata", id: "r", model: "m" };
const USAGE: ChatStreamPart = {
  type: "usage",
  usage: { inputTokens: 1, outputTokens: 0, cachedInputTokens: 0, totalTokens: 1 },
};
const finish = (finishReason: "stop" | "content_filter"): ChatStreamPart => ({
  type: "finish",
  finishReason,
  rawFinishReason: finishReason === "stop" ? "stop" : "refusal",
});

/** A source that records whether it was closed early. */
function source(parts: ChatStreamPart[]) {
  const state = { closed: false, read: 0 };
  const iterable: AsyncIterable<ChatStreamPart> = {
    [Symbol.asyncIterator]() {
      return {
        next: async () =>
          state.read < parts.length
            ? { done: false, value: parts[state.read++] as ChatStreamPart }
            : { done: true, value: undefined },
        return: async () => {
          state.closed = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, state };
}

describe("refuseIfFilteredFirst", () => {
  it("throws a refusal before the first output, with every part read to the end", async () => {
    const parts = [META, finish("content_filter"), USAGE];
    const error = await collect(refuseIfFilteredFirst(source(parts).iterable)).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RefusedAnswerError);
    expect(error).toMatchObject({ kind: "content_filter", answer: { parts } });
    expect((error as Error).message).toBe("refused on content policy (finish reason refusal)");
  });

  it("passes a stream through once output came, a later refusal included", async () => {
    const parts = [META, { type: "text-delta", text: "hi" } as const, finish("content_filter")];
    expect(await collect(refuseIfFilteredFirst(source(parts).iterable))).toEqual(parts);
    const relayed = [
      { type: "wire-events", events: [{ event: undefined, data: "{}" }] } as const,
      USAGE,
    ];
    expect(await collect(refuseIfFilteredFirst(source(relayed).iterable))).toEqual(relayed);
  });

  it("passes an answer without output or refusal through whole", async () => {
    const parts = [META, USAGE, finish("stop")];
    expect(await collect(refuseIfFilteredFirst(source(parts).iterable))).toEqual(parts);
  });

  it("closes the upstream when the consumer stops early", async () => {
    const { iterable, state } = source([META, { type: "text-delta", text: "a" }, USAGE]);
    for await (const part of refuseIfFilteredFirst(iterable)) {
      if (part.type === "text-delta") break;
    }
    expect(state.closed).toBe(true);
  });
});

describe("refuseIfFiltered", () => {
  const result = (finishReason: ChatResult["finishReason"]): ChatResult => ({
    id: "r",
    model: "m",
    adapterType: "openai",
    text: "",
    toolCalls: [],
    finishReason,
    rawFinishReason: finishReason,
    usage: undefined,
  });

  it("throws a content_filter answer with the answer, and returns any other", () => {
    const refused = result("content_filter");
    expect(() => refuseIfFiltered(refused)).toThrow(RefusedAnswerError);
    try {
      refuseIfFiltered(refused);
    } catch (error) {
      expect((error as RefusedAnswerError).answer).toEqual({ result: refused });
    }
    const fine = result("stop");
    expect(refuseIfFiltered(fine)).toBe(fine);
  });
});
