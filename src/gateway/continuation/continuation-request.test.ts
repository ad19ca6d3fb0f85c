import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../llm/chat.js";
import {
  CONTINUE_INSTRUCTION,
  continuationRequest,
  isContinuation,
  requestForTarget,
} from "./continuation-request.js";

const REQUEST: ChatRequest = {
  model: "smart",
  messages: [{ role: "user", content: "Tell me a story" }],
  maxTokens: 100,
  wire: { protocol: "openai", body: { model: "smart" }, stream: true, headers: {} },
};

describe("continuationRequest", () => {
  it("drops the client's own body, shrinks maxTokens by the partial answer, and is marked", () => {
    const continued = continuationRequest(REQUEST, "Once upon a time ", 5);
    expect(continued.wire).toBeUndefined();
    expect(continued.maxTokens).toBe(95);
    expect(isContinuation(continued)).toBe(true);
    expect(isContinuation(REQUEST)).toBe(false);
  });

  it("a prefill target gets the partial answer as the last assistant turn, trailing whitespace trimmed", () => {
    const continued = requestForTarget(
      continuationRequest(REQUEST, "Once upon a time \n", 5),
      true,
    );
    expect(continued.messages.slice(-1)).toEqual([
      { role: "assistant", content: "Once upon a time" },
    ]);
  });

  it("other targets get the partial answer and an instruction", () => {
    const continued = requestForTarget(continuationRequest(REQUEST, "Once upon a time ", 5), false);
    expect(continued.messages.slice(-2)).toEqual([
      { role: "assistant", content: "Once upon a time " },
      { role: "user", content: CONTINUE_INSTRUCTION },
    ]);
  });

  it("no prefill when the request asks for reasoning (Claude refuses one with thinking)", () => {
    const thinking = { ...REQUEST, reasoning: { budgetTokens: 2048 } };
    const continued = requestForTarget(continuationRequest(thinking, "Once", 1), true);
    expect(continued.messages.slice(-1)).toEqual([{ role: "user", content: CONTINUE_INSTRUCTION }]);
    const off = { ...REQUEST, reasoning: { effort: "none" } };
    const prefilled = requestForTarget(continuationRequest(off, "Once", 1), true);
    expect(prefilled.messages.slice(-1)).toEqual([{ role: "assistant", content: "Once" }]);
  });

  it("leaves any other request as it is", () => {
    expect(requestForTarget(REQUEST, true)).toBe(REQUEST);
  });
});
