import {
  DEFAULT_MOCK_TEXT,
  type MockReply,
  type MockResponseOptions,
  type MockToolCall,
} from "./mock-behaviour.js";
import type { PreparedReply, PreparedToolCall } from "./mock-kit/mock-vendor.js";

const DEFAULT_INPUT_TOKENS = 10;
const DEFAULT_DIMENSIONS = 8;

export function prepareMockReply(
  reply: MockReply,
  options: Pick<MockResponseOptions, "chunks" | "chunkSize">,
): PreparedReply {
  const toolCalls = (reply.toolCalls ?? []).map((call) => prepareToolCall(call, options));
  const text = reply.text ?? (toolCalls.length > 0 ? "" : DEFAULT_MOCK_TEXT);
  const argumentsLength = toolCalls.reduce((sum, call) => sum + call.arguments.length, 0);
  const inputTokens = reply.usage?.inputTokens ?? DEFAULT_INPUT_TOKENS;
  return {
    text,
    textChunks: splitText(text, options, false),
    toolCalls,
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    rawFinishReason: reply.rawFinishReason,
    usage: {
      inputTokens,
      outputTokens:
        reply.usage?.outputTokens ?? Math.max(1, Math.ceil((text.length + argumentsLength) / 4)),
      cachedInputTokens: Math.min(reply.usage?.cachedInputTokens ?? 0, inputTokens),
      cacheWriteTokens: Math.min(
        reply.usage?.cacheWriteTokens ?? 0,
        inputTokens - Math.min(reply.usage?.cachedInputTokens ?? 0, inputTokens),
      ),
    },
    thinking: reply.thinking,
    inputTokensGiven: reply.usage?.inputTokens !== undefined,
    model: reply.model,
    embeddings: reply.embeddings,
    dimensions: reply.dimensions ?? DEFAULT_DIMENSIONS,
    models: reply.models,
  };
}

function prepareToolCall(
  call: MockToolCall,
  options: Pick<MockResponseOptions, "chunks" | "chunkSize">,
): PreparedToolCall {
  const argumentsText =
    typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
  const input =
    typeof call.arguments === "string"
      ? (JSON.parse(call.arguments) as Record<string, unknown>)
      : call.arguments;
  return {
    id: call.id,
    name: call.name,
    arguments: argumentsText,
    argumentChunks: splitText(argumentsText, options, true),
    input,
  };
}

/**
 * Cuts text into stream deltas: `chunks` equal pieces, or pieces of `chunkSize` characters, or
 * (neither given) words with their trailing spaces, or one piece for tool arguments. Never splits
 * a surrogate pair.
 */
export function splitText(
  text: string,
  options: Pick<MockResponseOptions, "chunks" | "chunkSize">,
  whole: boolean,
): string[] {
  if (text.length === 0) return [];
  if (options.chunks !== undefined) {
    return cutEvery(text, Math.max(1, Math.ceil(text.length / options.chunks)));
  }
  if (options.chunkSize !== undefined) return cutEvery(text, options.chunkSize);
  if (whole) return [text];
  return text.match(/\s*\S+\s*/g) ?? [text];
}

function cutEvery(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end += 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
