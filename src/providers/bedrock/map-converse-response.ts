import { ProviderError } from "../../errors/provider-error.js";
import type { ChatResult, FinishReason, ReasoningPart, ToolCall, Usage } from "../../llm/chat.js";
import {
  isRecord,
  type JsonRecord,
  readNumber,
  readRecord,
  readString,
} from "../shared/json-fields.js";
import { reasoningOrigin } from "./anthropic-model.js";

/**
 * A Converse `stopReason` -> the unified finish reason: `max_tokens` and
 * `model_context_window_exceeded` are length, `tool_use` tool calls, `guardrail_intervened` and
 * `content_filtered` content filter; the rest (`end_turn`, `stop_sequence`, new values) stop.
 */
export function mapConverseStopReason(stopReason: string | undefined): FinishReason {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "guardrail_intervened":
    case "content_filtered":
      return "content_filter";
    default:
      return "stop";
  }
}

/**
 * Converse's usage: `inputTokens` is the uncached part only; the unified `inputTokens` is the whole
 * prompt (uncached + read from the cache + written to it), `cachedInputTokens` the cache reads,
 * `cacheWriteTokens` the writes (when there were any).
 */
export function mapConverseUsage(usage: JsonRecord): Usage {
  const cacheRead = readNumber(usage, "cacheReadInputTokens") ?? 0;
  const cacheWrite = readNumber(usage, "cacheWriteInputTokens");
  const inputTokens = (readNumber(usage, "inputTokens") ?? 0) + cacheRead + (cacheWrite ?? 0);
  const outputTokens = readNumber(usage, "outputTokens") ?? 0;
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens: cacheRead,
    ...(cacheWrite ? { cacheWriteTokens: cacheWrite } : {}),
    totalTokens: inputTokens + outputTokens,
  };
}

/**
 * A Converse response body -> the unified result. Converse names neither the response nor the
 * model: the id is the request id AWS sent (`x-amzn-requestid`), the model the one asked for.
 * `reasoningContent` blocks are the result's reasoning (text with its signature, or redacted).
 */
export function mapConverseResponse(
  body: unknown,
  options: { provider: string; model: string; requestId: string; type: string },
): ChatResult {
  const { provider } = options;
  const message = isRecord(body)
    ? readRecord(readRecord(body, "output") ?? {}, "message")
    : undefined;
  if (!isRecord(body) || message === undefined || !Array.isArray(message.content)) {
    throw new ProviderError(
      `${provider} returned a malformed Converse response: no output message`,
      {
        kind: "transient",
        provider,
      },
    );
  }
  let text = "";
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  const origin = reasoningOrigin(options.model);
  for (const block of message.content) {
    if (!isRecord(block)) continue;
    const thought = readRecord(block, "reasoningContent");
    if (thought !== undefined) reasoning.push(readReasoning(thought, origin));
    const blockText = readString(block, "text");
    if (blockText !== undefined) text += blockText;
    const toolUse = readRecord(block, "toolUse");
    if (toolUse !== undefined) {
      toolCalls.push({
        id: readString(toolUse, "toolUseId") ?? "",
        name: readString(toolUse, "name") ?? "",
        arguments: JSON.stringify(toolUse.input ?? {}),
      });
    }
  }
  const stopReason = readString(body, "stopReason");
  const usage = readRecord(body, "usage");
  return {
    id: options.requestId,
    model: options.model,
    adapterType: options.type,
    text,
    toolCalls,
    ...(reasoning.length === 0 ? {} : { reasoning }),
    finishReason: mapConverseStopReason(stopReason),
    rawFinishReason: stopReason ?? null,
    usage: usage === undefined ? undefined : mapConverseUsage(usage),
  };
}

/** A `reasoningContent` block (whole, or one stream delta of it) -> its unified reasoning. */
export function readReasoning(block: JsonRecord, origin: string): ReasoningPart {
  const reasoningText = readRecord(block, "reasoningText");
  const redacted = readString(block, "redactedContent");
  const signature = readString(reasoningText ?? block, "signature");
  return {
    type: "reasoning",
    origin,
    text: readString(reasoningText ?? block, "text") ?? "",
    ...(signature === undefined ? {} : { signature }),
    ...(redacted === undefined ? {} : { opaque: redacted }),
  };
}
