import type { ChatMessage, ChatRequest, ReasoningPart } from "../../llm/chat.js";
import { budgetOf, effortOf } from "../../llm/reasoning-effort.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { type JsonRecord, readString } from "../shared/json-fields.js";
import type { AnthropicContentBlock, AnthropicRequestBody } from "./wire-types.js";

/** The `ReasoningPart.origin` of Messages API thinking: signed by Anthropic, replayable only there. */
export const ANTHROPIC_REASONING_ORIGIN = "anthropic";

/** The API's smallest `thinking.budget_tokens`. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * Models that take `thinking: {type: "adaptive"}` with `output_config.effort` (Claude 4.6 and later);
 * older ones take `{type: "enabled", budget_tokens}`.
 */
export function takesAdaptiveThinking(model: string): boolean {
  const match = /claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:\D|$)/.exec(model);
  if (match === null) return false;
  const major = Number(match[1]);
  const minor = match[2] === undefined ? 0 : Number(match[2]);
  return major > 4 || (major === 4 && minor >= 6);
}

/** Claude 3.7 and later think; the API refuses `thinking` on older models (3.5, 3, 2, instant). */
export function takesThinking(model: string): boolean {
  return !/claude-(?:instant|2|3-(?:opus|sonnet|haiku|5))/.test(model);
}

/** Unified effort -> the Messages API's `output_config.effort` (`low`, `medium`, `high`, `max`). */
const ADAPTIVE_EFFORT: Readonly<Record<string, string>> = {
  minimal: "low",
  low: "low",
  medium: "medium",
  high: "high",
  xhigh: "max",
};

/**
 * Sets `thinking` (and what it requires) on a body from `request.reasoning`, by the Messages API's
 * rules. Nothing is set when no effort or budget is asked for, when it is `none`, for a model
 * without thinking (`takesThinking`), when the tool choice forces
 * a tool (the API refuses thinking then), or when the last assistant turn called tools without
 * replayable thinking (the API wants that turn to open with its thinking block). A budget is at
 * least 1024 and below `max_tokens`: without a client `max_tokens` the body's default is raised by
 * the budget; with one, the budget is cut to fit, and thinking is left off when 1024 does not fit.
 * With thinking on, `temperature` other than 1 and `top_p` below 0.95 are left out (refused with it).
 */
export function applyThinking(body: AnthropicRequestBody, request: ChatRequest): void {
  const reasoning = request.reasoning;
  if (reasoning === undefined) return;
  const effort = effortOf(reasoning);
  if (effort === undefined || effort === "none" || reasoning.budgetTokens === 0) return;
  if (!takesThinking(request.model)) return;
  const choice = request.toolChoice;
  if (choice === "required" || (typeof choice === "object" && choice !== null)) return;
  if (lastToolTurnLacksThinking(request.messages)) return;
  const display =
    reasoning.includeThoughts === undefined
      ? {}
      : { display: reasoning.includeThoughts ? "summarized" : "omitted" };
  if (takesAdaptiveThinking(request.model)) {
    body.thinking = { type: "adaptive", ...display };
    const level = ADAPTIVE_EFFORT[effort];
    if (level !== undefined) body.output_config = { ...body.output_config, effort: level };
  } else {
    let budget = Math.max(MIN_THINKING_BUDGET, budgetOf(reasoning) ?? 0);
    if (request.maxTokens === undefined) body.max_tokens += budget;
    else if (budget >= body.max_tokens) budget = body.max_tokens - 1;
    if (budget < MIN_THINKING_BUDGET) return;
    body.thinking = { type: "enabled", budget_tokens: budget };
  }
  if (body.temperature !== undefined && body.temperature !== 1) delete body.temperature;
  if (body.top_p !== undefined && body.top_p < 0.95) delete body.top_p;
}

function lastToolTurnLacksThinking(messages: readonly ChatMessage[]): boolean {
  const last = messages.findLast((message) => message.role === "assistant");
  if (last?.role !== "assistant" || (last.toolCalls ?? []).length === 0) return false;
  return !(last.reasoning ?? []).some((part) => part.origin === ANTHROPIC_REASONING_ORIGIN);
}

/** An assistant turn's replayable reasoning as `thinking` / `redacted_thinking` blocks, in order. */
export function thinkingBlocks(
  parts: readonly ReasoningPart[] | undefined,
): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  for (const part of parts ?? []) {
    if (part.origin !== ANTHROPIC_REASONING_ORIGIN) continue;
    if (part.opaque !== undefined) blocks.push({ type: "redacted_thinking", data: part.opaque });
    else blocks.push({ type: "thinking", thinking: part.text, signature: part.signature ?? "" });
  }
  return blocks;
}

/** A `thinking` or `redacted_thinking` content block of an answer; undefined for other blocks. */
export function readThinkingBlock(block: JsonRecord): ReasoningPart | undefined {
  const type = readString(block, "type");
  if (type === "thinking") {
    const part: ReasoningPart = {
      type: "reasoning",
      origin: ANTHROPIC_REASONING_ORIGIN,
      text: readString(block, "thinking") ?? "",
    };
    const signature = readString(block, "signature");
    if (signature !== undefined && signature !== "") part.signature = signature;
    return part;
  }
  if (type === "redacted_thinking") {
    return {
      type: "reasoning",
      origin: ANTHROPIC_REASONING_ORIGIN,
      text: "",
      opaque: readString(block, "data") ?? "",
    };
  }
  return undefined;
}

/** A stream's `thinking_delta` / `signature_delta`, or a `redacted_thinking` block start, as a part. */
export function thinkingDeltaPart(
  delta: JsonRecord,
): Extract<ChatStreamPart, { type: "reasoning-delta" }> | undefined {
  const type = readString(delta, "type");
  if (type === "thinking_delta") {
    const text = readString(delta, "thinking") ?? "";
    return text === ""
      ? undefined
      : { type: "reasoning-delta", text, origin: ANTHROPIC_REASONING_ORIGIN };
  }
  if (type === "signature_delta") {
    const signature = readString(delta, "signature") ?? "";
    return { type: "reasoning-delta", text: "", origin: ANTHROPIC_REASONING_ORIGIN, signature };
  }
  if (type === "redacted_thinking") {
    const opaque = readString(delta, "data") ?? "";
    return { type: "reasoning-delta", text: "", origin: ANTHROPIC_REASONING_ORIGIN, opaque };
  }
  return undefined;
}
