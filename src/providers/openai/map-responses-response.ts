import { ProviderError } from "../../errors/provider-error.js";
import type { ChatResult, FinishReason, ReasoningPart, ToolCall, Usage } from "../../llm/chat.js";
import {
  isRecord,
  type JsonRecord,
  readArray,
  readNumber,
  readRecord,
  readString,
} from "../shared/json-fields.js";
import { mapStreamError } from "./map-error.js";
import { readReasoningItem } from "./map-reasoning.js";
import type { ResponseSource } from "./map-response.js";

/**
 * A Responses API `response` object -> ChatResult: the text of every output message (refusals
 * count as text), each `function_call` item as a tool call, each `reasoning` item as reasoning, the status as the finish reason
 * (`incomplete` for `max_output_tokens` is `length`). A `failed` response throws its error. Pure.
 */
export function mapResponsesResponse(body: unknown, source: ResponseSource): ChatResult {
  const root = isRecord(body) ? body : {};
  if (readString(root, "status") === "failed") {
    throw mapStreamError(root.error ?? { message: "the response failed" }, source.provider);
  }
  const output = readArray(root, "output");
  if (output === undefined) {
    throw new ProviderError(`${source.provider}: response without an output`, {
      kind: "transient",
      provider: source.provider,
    });
  }
  let text = "";
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  for (const item of output) {
    if (!isRecord(item)) continue;
    if (item.type === "message") text += messageText(item);
    else if (item.type === "function_call") toolCalls.push(toolCall(item));
    else if (item.type === "reasoning") reasoning.push(readReasoningItem(item));
  }
  const rawFinishReason = rawReason(root);
  return {
    ...(reasoning.length === 0 ? {} : { reasoning }),
    id: readString(root, "id") ?? "",
    model: readString(root, "model") ?? "",
    adapterType: source.type,
    text,
    toolCalls,
    finishReason: finishReasonOf(rawFinishReason, toolCalls.length > 0),
    rawFinishReason,
    usage: mapResponsesUsage(root.usage),
  };
}

/** `completed`, or the incomplete reason (`max_output_tokens`, `content_filter`). */
export function rawReason(response: JsonRecord): string {
  const details = readRecord(response, "incomplete_details");
  return (
    (details && readString(details, "reason")) ?? readString(response, "status") ?? "completed"
  );
}

export function finishReasonOf(raw: string, hasToolCalls: boolean): FinishReason {
  if (raw === "max_output_tokens") return "length";
  if (raw === "content_filter") return "content_filter";
  return hasToolCalls ? "tool_calls" : "stop";
}

export function mapResponsesUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const inputTokens = readNumber(usage, "input_tokens") ?? 0;
  const outputTokens = readNumber(usage, "output_tokens") ?? 0;
  const details = readRecord(usage, "input_tokens_details");
  const result: Usage = {
    inputTokens,
    outputTokens,
    cachedInputTokens: (details && readNumber(details, "cached_tokens")) ?? 0,
    totalTokens: readNumber(usage, "total_tokens") ?? inputTokens + outputTokens,
  };
  const output = readRecord(usage, "output_tokens_details");
  const reasoningTokens = output && readNumber(output, "reasoning_tokens");
  if (reasoningTokens !== undefined) result.reasoningTokens = reasoningTokens;
  return result;
}

function messageText(item: JsonRecord): string {
  let text = "";
  for (const part of readArray(item, "content") ?? []) {
    if (!isRecord(part)) continue;
    text += readString(part, "text") ?? readString(part, "refusal") ?? "";
  }
  return text;
}

function toolCall(item: JsonRecord): ToolCall {
  return {
    id: readString(item, "call_id") ?? readString(item, "id") ?? "",
    name: readString(item, "name") ?? "",
    arguments: readString(item, "arguments") ?? "",
  };
}
