import { ProviderError } from "../../errors/provider-error.js";
import type { ChatResult, FinishReason, ToolCall, Usage } from "../../llm/chat.js";
import type { EmbeddingsResult } from "../../llm/embeddings.js";
import type { ModelInfo } from "../../llm/llm-provider.js";
import {
  isRecord,
  type JsonRecord,
  readArray,
  readNumber,
  readRecord,
  readString,
} from "../shared/json-fields.js";
import { chatReasoningPart, readReasoningContent } from "./map-reasoning.js";

/** Who answered, for the result's `provider` field and for error messages. */
export interface ResponseSource {
  /** The adapter type (`openai`, `openai-compatible`). */
  type: string;
  /** The provider name used in errors. */
  provider: string;
}

/** OpenAI's finish_reason -> the unified one. Unknown values (some compatible servers) count as stop. */
export function mapFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    case "content_filter":
      return "content_filter";
    case "error":
      return "error";
    default:
      return "stop";
  }
}

/** The `usage` object of a completion or its last stream chunk; undefined when absent. */
export function mapUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const inputTokens = readNumber(usage, "prompt_tokens") ?? 0;
  const outputTokens = readNumber(usage, "completion_tokens") ?? 0;
  const details = readRecord(usage, "prompt_tokens_details");
  const result: Usage = {
    inputTokens,
    outputTokens,
    cachedInputTokens: (details && readNumber(details, "cached_tokens")) ?? 0,
    totalTokens: readNumber(usage, "total_tokens") ?? inputTokens + outputTokens,
  };
  const output = readRecord(usage, "completion_tokens_details");
  const reasoningTokens = output && readNumber(output, "reasoning_tokens");
  if (reasoningTokens !== undefined) result.reasoningTokens = reasoningTokens;
  return result;
}

/** A `chat.completion` body -> ChatResult. Pure; throws `transient` on a body without a choice. */
export function mapChatResponse(body: unknown, source: ResponseSource): ChatResult {
  const root = isRecord(body) ? body : {};
  const choice = readArray(root, "choices")?.[0];
  const message = isRecord(choice) ? readRecord(choice, "message") : undefined;
  if (!isRecord(choice) || message === undefined) {
    throw new ProviderError(`${source.provider}: chat completion without a choice`, {
      kind: "transient",
      provider: source.provider,
    });
  }
  const rawFinishReason = readString(choice, "finish_reason") ?? null;
  const reasoning = readReasoningContent(message);
  return {
    ...(reasoning === undefined ? {} : { reasoning: [chatReasoningPart(reasoning)] }),
    id: readString(root, "id") ?? "",
    model: readString(root, "model") ?? "",
    adapterType: source.type,
    // A refusal is the model's answer too; callers see it as text, with finish reason stop.
    text: readString(message, "content") ?? readString(message, "refusal") ?? "",
    toolCalls: mapToolCalls(message),
    finishReason: mapFinishReason(rawFinishReason),
    rawFinishReason,
    usage: mapUsage(root.usage),
  };
}

function mapToolCalls(message: JsonRecord): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const call of readArray(message, "tool_calls") ?? []) {
    if (!isRecord(call)) continue;
    const fn = readRecord(call, "function");
    if (fn === undefined) continue; // custom (non-function) tools are not part of the unified model
    calls.push({
      id: readString(call, "id") ?? "",
      name: readString(fn, "name") ?? "",
      arguments: readString(fn, "arguments") ?? "",
    });
  }
  // The deprecated single `function_call` of older models and servers.
  const legacy = readRecord(message, "function_call");
  if (legacy !== undefined && calls.length === 0) {
    calls.push({
      id: "",
      name: readString(legacy, "name") ?? "",
      arguments: readString(legacy, "arguments") ?? "",
    });
  }
  return calls;
}

/** A `/embeddings` body -> EmbeddingsResult, vectors in input order. Pure. */
export function mapEmbeddingsResponse(body: unknown, source: ResponseSource): EmbeddingsResult {
  const root = isRecord(body) ? body : {};
  const items: { index: number; embedding: number[] }[] = [];
  for (const [position, item] of (readArray(root, "data") ?? []).entries()) {
    if (!isRecord(item)) continue;
    const embedding = readArray(item, "embedding");
    if (embedding === undefined || !embedding.every((value) => typeof value === "number")) {
      throw new ProviderError(`${source.provider}: embedding ${position} is not a float array`, {
        kind: "transient",
        provider: source.provider,
      });
    }
    items.push({ index: readNumber(item, "index") ?? position, embedding: embedding as number[] });
  }
  items.sort((a, b) => a.index - b.index);
  const usage = readRecord(root, "usage");
  const inputTokens = usage && readNumber(usage, "prompt_tokens");
  return {
    model: readString(root, "model") ?? "",
    adapterType: source.type,
    embeddings: items.map((item) => item.embedding),
    usage:
      usage === undefined || inputTokens === undefined
        ? undefined
        : { inputTokens, totalTokens: readNumber(usage, "total_tokens") ?? inputTokens },
  };
}

/** A `/models` body -> ModelInfo[]. Pure. */
export function mapModelsResponse(body: unknown): ModelInfo[] {
  const root = isRecord(body) ? body : {};
  const models: ModelInfo[] = [];
  for (const item of readArray(root, "data") ?? []) {
    if (!isRecord(item)) continue;
    const id = readString(item, "id");
    if (id !== undefined) models.push({ id, ownedBy: readString(item, "owned_by") });
  }
  return models;
}
