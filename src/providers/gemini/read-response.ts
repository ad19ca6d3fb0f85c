import { ProviderError } from "../../errors/provider-error.js";
import type { FinishReason, ReasoningPart, Usage } from "../../llm/chat.js";
import { asArray, asNumber, asRecord, asString, type JsonRecord } from "../shared/json-fields.js";
import { readThought } from "./map-reasoning.js";

/** What one GenerateContentResponse (a whole answer, or one stream chunk) carries. */
export interface GeminiChunk {
  /** Visible text, thought parts left out. */
  texts: string[];
  /** Thoughts (with `includeThoughts`) and the thought signatures on answer parts, in order. */
  reasoning: ReasoningPart[];
  functionCalls: { id: string | undefined; name: string; arguments: string }[];
  rawFinishReason: string | undefined;
  usage: Usage | undefined;
  responseId: string | undefined;
  modelVersion: string | undefined;
}

/**
 * Reads a GenerateContentResponse. A prompt blocked before generation (`promptFeedback.blockReason`,
 * no candidates) is thrown as `content_filter`.
 */
export function readChunk(value: unknown, provider: string): GeminiChunk {
  const response = asRecord(value) ?? {};
  const candidates = asArray(response.candidates);
  const blockReason = asString(asRecord(response.promptFeedback)?.blockReason);
  if (blockReason !== undefined && candidates.length === 0) {
    throw new ProviderError(`${provider} blocked the prompt (blockReason ${blockReason})`, {
      kind: "content_filter",
      provider,
      vendorCode: blockReason,
    });
  }
  const candidate = asRecord(candidates[0]) ?? {};
  const chunk: GeminiChunk = {
    texts: [],
    reasoning: [],
    functionCalls: [],
    rawFinishReason: asString(candidate.finishReason),
    usage: readUsage(asRecord(response.usageMetadata)),
    responseId: asString(response.responseId),
    modelVersion: asString(response.modelVersion),
  };
  for (const item of asArray(asRecord(candidate.content)?.parts)) {
    const part = asRecord(item);
    if (part === undefined) continue;
    const thought = readThought(part);
    if (thought !== undefined) chunk.reasoning.push(thought);
    const text = asString(part.text);
    if (text !== undefined && part.thought !== true && text !== "") chunk.texts.push(text);
    const call = asRecord(part.functionCall);
    if (call !== undefined) {
      chunk.functionCalls.push({
        id: asString(call.id),
        name: asString(call.name) ?? "",
        arguments: JSON.stringify(asRecord(call.args) ?? {}),
      });
    }
  }
  return chunk;
}

/**
 * Gemini usage -> unified usage. Gemini counts thinking tokens apart from `candidatesTokenCount`;
 * here they count within output, and as `reasoningTokens`; tool-use prompt tokens (grounding
 * results) count as input; cached content tokens are within the prompt count already.
 */
export function readUsage(metadata: JsonRecord | undefined): Usage | undefined {
  if (metadata === undefined) return undefined;
  const prompt = asNumber(metadata.promptTokenCount) ?? 0;
  const toolPrompt = asNumber(metadata.toolUsePromptTokenCount) ?? 0;
  const candidates = asNumber(metadata.candidatesTokenCount) ?? 0;
  const thoughts = asNumber(metadata.thoughtsTokenCount) ?? 0;
  const inputTokens = prompt + toolPrompt;
  const outputTokens = candidates + thoughts;
  const usage: Usage = {
    inputTokens,
    outputTokens,
    cachedInputTokens: asNumber(metadata.cachedContentTokenCount) ?? 0,
    totalTokens: asNumber(metadata.totalTokenCount) ?? inputTokens + outputTokens,
  };
  if (metadata.thoughtsTokenCount !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}

const CONTENT_FILTER_REASONS = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
]);

const ERROR_REASONS = new Set([
  "MALFORMED_FUNCTION_CALL",
  "UNEXPECTED_TOOL_CALL",
  "TOO_MANY_TOOL_CALLS",
  "LANGUAGE",
  "OTHER",
  "FINISH_REASON_UNSPECIFIED",
]);

/**
 * STOP -> `stop` (`tool_calls` when the answer holds function calls), MAX_TOKENS -> `length`, safety
 * and recitation blocks -> `content_filter`, failed tool calls and OTHER -> `error`. A reason this
 * table does not know is read like STOP.
 */
export function mapFinishReason(raw: string, hasToolCalls: boolean): FinishReason {
  if (raw === "MAX_TOKENS") return "length";
  if (CONTENT_FILTER_REASONS.has(raw)) return "content_filter";
  if (ERROR_REASONS.has(raw)) return "error";
  return hasToolCalls ? "tool_calls" : "stop";
}
