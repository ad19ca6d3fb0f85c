import { ProviderError } from "../../errors/provider-error.js";
import type { Usage } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { asNumber, asRecord } from "../shared/json-fields.js";
import { parseJsonText } from "../shared/parse-json-text.js";
import type { SseEvent } from "../shared/parse-sse.js";
import { classifyGeminiError } from "./map-error.js";
import { mapFinishReason, readChunk } from "./read-response.js";

export interface MapGeminiStreamOptions {
  /** The provider name, for errors. */
  provider: string;
  /** The model asked for; used when no chunk carries a `modelVersion`. */
  model: string;
}

/**
 * `streamGenerateContent?alt=sse` events (each `data:` a GenerateContentResponse) -> stream parts.
 * Thoughts and thought signatures become reasoning deltas, held back until the first output part so
 * that they do not pass the commit point; text parts become text deltas; a function call arrives whole in one chunk and becomes one
 * tool-call delta with id, name and the full arguments. Gemini has no terminal event: the chunk
 * carrying a `finishReason` ends the stream (its usage, then `finish`); a stream that ends without one
 * throws `transient`. An `error` object in the stream, a blocked prompt or malformed JSON throws.
 */
export async function* mapGeminiStream(
  events: AsyncIterable<SseEvent>,
  options: MapGeminiStreamOptions,
): AsyncGenerator<ChatStreamPart> {
  const { provider } = options;
  let started = false;
  let responseId: string | undefined;
  let modelVersion: string | undefined;
  let usage: Usage | undefined;
  let toolCallCount = 0;
  let chunkCount = 0;
  /** Reasoning that came before the first output: it goes out with it. */
  const held: ChatStreamPart[] = [];

  for await (const event of events) {
    if (event.data.trim() === "") continue;
    chunkCount += 1;
    const value = parseJsonText(event.data, { provider, what: "stream event" });
    const error = asRecord(asRecord(value)?.error);
    if (error !== undefined) {
      // An error inside a 200 stream: its own code stands in for the HTTP status; no headers to read.
      throw classifyGeminiError(error, {
        provider,
        status: asNumber(error.code) ?? 500,
        headers: {},
        nowMs: 0,
      });
    }
    const chunk = readChunk(value, provider);
    responseId ??= chunk.responseId;
    modelVersion ??= chunk.modelVersion;
    if (chunk.usage !== undefined) usage = chunk.usage;

    const parts: ChatStreamPart[] = [];
    for (const thought of chunk.reasoning) {
      const part: ChatStreamPart = { ...thought, type: "reasoning-delta" };
      if (started) parts.push(part);
      else held.push(part);
    }
    for (const text of chunk.texts) parts.push({ type: "text-delta", text });
    for (const call of chunk.functionCalls) {
      parts.push({
        type: "tool-call-delta",
        index: toolCallCount,
        id: call.id ?? `call_${toolCallCount}`,
        name: call.name,
        argumentsDelta: call.arguments,
      });
      toolCallCount += 1;
    }
    const raw = chunk.rawFinishReason;
    if (raw !== undefined) {
      if (usage !== undefined) parts.push({ type: "usage", usage });
      parts.push({
        type: "finish",
        finishReason: mapFinishReason(raw, toolCallCount > 0),
        rawFinishReason: raw,
      });
    }
    if (parts.length > 0 && !started) {
      started = true;
      yield {
        type: "response-metadata",
        id: responseId ?? "",
        model: modelVersion ?? options.model,
      };
      for (const part of held.splice(0)) yield part;
    }
    // A loop, not `yield*`: delegating to an array costs extra promise turns on every chunk.
    for (const part of parts) yield part;
    if (raw !== undefined) return;
  }
  throw new ProviderError(
    `${provider} stream ended without a finishReason after ${chunkCount} chunk(s)`,
    { kind: "transient", provider },
  );
}
