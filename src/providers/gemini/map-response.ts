import { ProviderError } from "../../errors/provider-error.js";
import type { ChatResult } from "../../llm/chat.js";
import { mapFinishReason, readChunk } from "./read-response.js";

export interface MapGeminiResponseOptions {
  /** The provider name, for errors. */
  provider: string;
  /** The model asked for; used when the response carries no `modelVersion`. */
  model: string;
}

/**
 * A `generateContent` body -> ChatResult: the first candidate's visible text joined, its function
 * calls as tool calls (ids `call_<n>` when Gemini gives none), its thoughts and thought signatures as
 * reasoning, usage, `responseId` and `modelVersion`.
 * A blocked prompt throws `content_filter`; a body with no candidate and no reason throws `transient`.
 */
export function mapGeminiResponse(body: unknown, options: MapGeminiResponseOptions): ChatResult {
  const chunk = readChunk(body, options.provider);
  if (
    chunk.rawFinishReason === undefined &&
    chunk.texts.length === 0 &&
    chunk.functionCalls.length === 0
  ) {
    throw new ProviderError(`${options.provider} answered without a candidate or finishReason`, {
      kind: "transient",
      provider: options.provider,
      status: 200,
    });
  }
  const toolCalls = chunk.functionCalls.map((call, index) => ({
    id: call.id ?? `call_${index}`,
    name: call.name,
    arguments: call.arguments,
  }));
  const hasToolCalls = toolCalls.length > 0;
  return {
    id: chunk.responseId ?? "",
    model: chunk.modelVersion ?? options.model,
    adapterType: "gemini",
    text: chunk.texts.join(""),
    toolCalls,
    finishReason:
      chunk.rawFinishReason === undefined
        ? hasToolCalls
          ? "tool_calls"
          : "stop"
        : mapFinishReason(chunk.rawFinishReason, hasToolCalls),
    rawFinishReason: chunk.rawFinishReason ?? null,
    usage: chunk.usage,
    ...(chunk.reasoning.length === 0 ? {} : { reasoning: chunk.reasoning }),
  };
}
