/**
 * A unified `ChatResult` -> a Messages API `message` object. Ids get the vendor's `msg_` prefix when
 * the upstream's lacks it. Content is a text block (kept even when empty if there is nothing else,
 * so `content[0].text` is always safe) followed by `tool_use` blocks whose `input` is the parsed
 * arguments; arguments that are not a JSON object are kept as text under `_raw_arguments` rather
 * than dropped. The stop reason passes through when the upstream already spoke this format
 * (`pause_turn`, `stop_sequence`, ...), else maps from the unified one. Usage: the vendor counts
 * cache reads and writes outside `input_tokens`, so `input_tokens` is the unified input minus both.
 *
 * Reasoning comes first, as the vendor sends it (`thinkingBlock`): Anthropic's own as `thinking`
 * with its signature or `redacted_thinking`; another vendor's as `thinking` with an empty
 * signature, which the gateway recognises when the client sends it back and never replays to an
 * Anthropic target (the vendor would reject it).
 */
import type { ChatResult, FinishReason, ReasoningPart, Usage } from "../../../llm/chat.js";
import { REASONING_ORIGIN } from "../reasoning-origin.js";

export interface RenderMessagesResponseOptions {
  /** The model name to report; defaults to the model that answered. */
  model?: string;
}

export type AnthropicContentBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: AnthropicUsage;
}

export function renderMessagesResponse(
  result: ChatResult,
  options: RenderMessagesResponseOptions = {},
): AnthropicMessage {
  const content: AnthropicContentBlock[] = [];
  for (const part of result.reasoning ?? []) {
    const block = thinkingBlock(part);
    if (block !== undefined) content.push(block);
  }
  if (result.text !== "" || result.toolCalls.length === 0) {
    content.push({ type: "text", text: result.text });
  }
  for (const call of result.toolCalls) {
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.name,
      input: parseToolInput(call.arguments),
    });
  }
  return {
    id: messageId(result.id),
    type: "message",
    role: "assistant",
    model: options.model ?? result.model,
    content,
    stop_reason: toStopReason(result.finishReason, result.rawFinishReason),
    stop_sequence: null,
    usage: toAnthropicUsage(result.usage),
  };
}

/** A reasoning part as a content block; undefined for another vendor's part without text. */
export function thinkingBlock(part: ReasoningPart): AnthropicContentBlock | undefined {
  if (part.origin === REASONING_ORIGIN.messages) {
    if (part.opaque !== undefined) return { type: "redacted_thinking", data: part.opaque };
    return { type: "thinking", thinking: part.text, signature: part.signature ?? "" };
  }
  return part.text === "" ? undefined : { type: "thinking", thinking: part.text, signature: "" };
}

const STOP_REASONS: ReadonlySet<string> = new Set([
  "end_turn",
  "max_tokens",
  "stop_sequence",
  "tool_use",
  "pause_turn",
  "refusal",
  "model_context_window_exceeded",
]);

export function toStopReason(reason: FinishReason, rawReason: string | null): string {
  if (rawReason !== null && STOP_REASONS.has(rawReason)) return rawReason;
  switch (reason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

export function toAnthropicUsage(usage: Usage | undefined): AnthropicUsage {
  if (usage === undefined) {
    return {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
  }
  const cacheWriteTokens = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - cacheWriteTokens),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: cacheWriteTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
  };
}

/** JSON object text -> the object; "" -> {}; anything else is kept as `{ _raw_arguments }`. */
export function parseToolInput(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through: keep the text
  }
  return { _raw_arguments: text };
}

/** The upstream's id with the `msg_` prefix the vendor's ids carry. */
export function messageId(id: string): string {
  return id.startsWith("msg_") ? id : `msg_${id}`;
}
