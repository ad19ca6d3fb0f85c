import type { ChatMessage, ChatRequest } from "../../llm/chat.js";

/**
 * The instruction a target without assistant prefill gets after the partial answer (as a user turn).
 */
export const CONTINUE_INSTRUCTION =
  "Your previous message was cut off. Continue it exactly where it stops, in the same language, " +
  "style and format. Do not repeat any of it, do not comment on the interruption, and do not " +
  "start over: your reply is appended to it as is.";

/** The partial answers of continuation requests (see `continuationRequest`). */
const partials = new WeakMap<ChatRequest, string>();

/**
 * A request asking a target to continue an answer that was cut off after `partial`: the original
 * unified request (never the client's own body: the continuation may go to any protocol), marked so
 * that each target renders it its own way (`requestForTarget`). `maxTokens` shrinks by the tokens
 * the partial answer already used, so both parts together stay within the client's limit.
 */
export function continuationRequest(
  request: ChatRequest,
  partial: string,
  partialTokens: number,
): ChatRequest {
  const { wire: _wire, ...unified } = request;
  const continued: ChatRequest =
    unified.maxTokens === undefined
      ? unified
      : { ...unified, maxTokens: Math.max(1, unified.maxTokens - partialTokens) };
  partials.set(continued, partial);
  return continued;
}

/**
 * How one target is asked to continue: with an assistant prefill when it supports one and the
 * request does not ask for reasoning (Claude refuses a prefill with extended thinking), the prefill
 * without its trailing whitespace (which Claude refuses too: the seam puts it back); otherwise the
 * partial answer as an assistant turn and `CONTINUE_INSTRUCTION` as a user turn. Any other request
 * is returned as it is.
 */
export function requestForTarget(request: ChatRequest, prefill: boolean): ChatRequest {
  const partial = partials.get(request);
  if (partial === undefined) return request;
  const trimmed = partial.trimEnd();
  const messages: ChatMessage[] =
    prefill && !asksForReasoning(request) && trimmed !== ""
      ? [...request.messages, { role: "assistant", content: trimmed }]
      : [
          ...request.messages,
          { role: "assistant", content: partial },
          { role: "user", content: CONTINUE_INSTRUCTION },
        ];
  return { ...request, messages };
}

/** Whether a request is a continuation made by `continuationRequest`. */
export function isContinuation(request: ChatRequest): boolean {
  return partials.has(request);
}

function asksForReasoning(request: ChatRequest): boolean {
  const reasoning = request.reasoning;
  if (reasoning === undefined) return false;
  if (reasoning.effort === "none") return false;
  return reasoning.effort !== undefined || (reasoning.budgetTokens ?? 0) > 0;
}
