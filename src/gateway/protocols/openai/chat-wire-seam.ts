import type { WireEvent } from "../../../llm/stream-part.js";
import type { ClientStreamEncoder, WireSeam } from "../chat-protocol.js";
import { createChatStreamEncoder } from "./chat-stream-encoder.js";

/**
 * A relayed Chat Completions stream, read for a continuation: the text of choice 0, the envelope
 * of its chunks (id, created, model), and whether a tool call or a finish reason was relayed. The
 * continuation's chunks carry the same envelope and no second `role`.
 */
export function chatWireSeam({ includeUsage }: { includeUsage: boolean }): WireSeam {
  let text = "";
  let extendable = true;
  let envelope: { id: string; created: number; model: string } | undefined;
  return {
    observe(event: WireEvent) {
      if (!extendable || event.data === "[DONE]") return;
      const chunk = parseChunk(event.data);
      if (chunk === undefined) return;
      envelope ??= { id: chunk.id, created: chunk.created, model: chunk.model };
      for (const choice of chunk.choices) {
        if (choice.index !== 0 || choice.finish_reason || choice.delta?.tool_calls) {
          extendable = false;
          return;
        }
        if (typeof choice.delta?.content === "string") text += choice.delta.content;
      }
    },
    get text() {
      return text;
    },
    get extendable() {
      return extendable && envelope !== undefined;
    },
    resume(): ClientStreamEncoder {
      return createChatStreamEncoder({ includeUsage, resumed: true, ...envelope });
    },
  };
}

interface ChunkChoice {
  index?: number;
  delta?: { content?: unknown; tool_calls?: unknown };
  finish_reason?: unknown;
}

interface Chunk {
  id: string;
  created: number;
  model: string;
  choices: ChunkChoice[];
}

function parseChunk(data: string): Chunk | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== "object" || value === null) return undefined;
    const { id, created, model, choices } = value as Record<string, unknown>;
    if (typeof id !== "string" || typeof created !== "number" || typeof model !== "string") {
      return undefined;
    }
    return {
      id,
      created,
      model,
      choices: Array.isArray(choices) ? (choices as ChunkChoice[]) : [],
    };
  } catch {
    return undefined;
  }
}
