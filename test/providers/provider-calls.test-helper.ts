import type { ProviderContext } from "../../src/engine/index.js";
import { isProviderError, type ProviderError } from "../../src/errors/index.js";
import type { ChatStreamPart, ToolCall } from "../../src/llm/index.js";

// Calling an adapter under test, and reading what its streams produced.

export function context(signal: AbortSignal = new AbortController().signal): ProviderContext {
  return { signal, attempt: 1, targetId: "conformance" };
}

/** A stream's parts, and the ProviderError it ended with, if any (anything else is rethrown). */
export async function drain(
  stream: AsyncIterable<ChatStreamPart>,
): Promise<{ parts: ChatStreamPart[]; error: ProviderError | undefined }> {
  const parts: ChatStreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
  } catch (error) {
    if (isProviderError(error)) return { parts, error };
    throw error;
  }
  return { parts, error: undefined };
}

/** Tool calls put back together from their deltas, by index. */
export function assembleToolCalls(parts: readonly ChatStreamPart[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const part of parts) {
    if (part.type !== "tool-call-delta") continue;
    const call = calls[part.index] ?? { id: "", name: "", arguments: "" };
    calls[part.index] = call;
    if (part.id !== undefined) call.id = part.id;
    if (part.name !== undefined) call.name = part.name;
    call.arguments += part.argumentsDelta;
  }
  return calls;
}

export function streamedText(parts: readonly ChatStreamPart[]): string {
  return parts.map((part) => (part.type === "text-delta" ? part.text : "")).join("");
}
