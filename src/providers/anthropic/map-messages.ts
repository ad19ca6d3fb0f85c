import { ProviderError } from "../../errors/provider-error.js";
import type { ChatMessage, ReasoningPart, ToolCall } from "../../llm/chat.js";
import { systemField, textBlocks, toolResultBlock, userBlocks } from "./map-content.js";
import { thinkingBlocks } from "./map-reasoning.js";
import type { AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock } from "./wire-types.js";

export interface MappedMessages {
  /** The system messages' text joined with a blank line (blocks when one marks a cache breakpoint). */
  system: string | AnthropicTextBlock[] | undefined;
  /** Alternating user and assistant turns. */
  messages: AnthropicMessage[];
}

/**
 * Unified messages -> the Messages API's `system` field and turns. System messages (wherever they
 * appear) go to `system`; tool results become `tool_result` blocks in a user turn; consecutive turns
 * of the same role are merged, since the API requires roles to alternate.
 */
export function mapMessages(messages: readonly ChatMessage[], provider: string): MappedMessages {
  const systems: (ChatMessage & { role: "system" })[] = [];
  const turns: { role: "user" | "assistant"; blocks: AnthropicContentBlock[] }[] = [];
  const push = (role: "user" | "assistant", blocks: AnthropicContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last !== undefined && last.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
        systems.push(message);
        break;
      case "user":
        push("user", userBlocks(message.content));
        break;
      case "assistant":
        push(
          "assistant",
          assistantBlocks(message.content, message.toolCalls ?? [], message.reasoning, provider),
        );
        break;
      case "tool":
        push("user", [toolResultBlock(message)]);
        break;
    }
  }
  return {
    system: systemField(systems),
    messages: turns.map(({ role, blocks }) => ({ role, content: compact(blocks) })),
  };
}

/** A turn made of one text block is sent as a plain string, the API's short form. */
function compact(blocks: AnthropicContentBlock[]): string | AnthropicContentBlock[] {
  const [only] = blocks;
  return blocks.length === 1 && only?.type === "text" && only.cache_control === undefined
    ? only.text
    : blocks;
}

/** Replayable thinking first (the API wants it ahead of the text and tool calls it led to). */
function assistantBlocks(
  content: string | null,
  toolCalls: readonly ToolCall[],
  reasoning: readonly ReasoningPart[] | undefined,
  provider: string,
): AnthropicContentBlock[] {
  const blocks = [...thinkingBlocks(reasoning), ...textBlocks(content ?? "")];
  for (const call of toolCalls) {
    blocks.push({
      type: "tool_use",
      id: call.id,
      name: call.name,
      input: parseToolInput(call, provider),
    });
  }
  return blocks;
}

/** Tool arguments are JSON text in the unified model and a JSON object on the wire. */
function parseToolInput(call: ToolCall, provider: string): Record<string, unknown> {
  if (call.arguments.trim() === "") return {};
  let input: unknown;
  try {
    input = JSON.parse(call.arguments);
  } catch (error) {
    throw invalidArguments(call, provider, "is not valid JSON", error);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw invalidArguments(call, provider, "is not a JSON object");
  }
  return input as Record<string, unknown>;
}

function invalidArguments(
  call: ToolCall,
  provider: string,
  problem: string,
  cause?: unknown,
): ProviderError {
  return new ProviderError(
    `${provider}: arguments of tool call ${call.id} (${call.name}, ${call.arguments.length} chars) ${problem}`,
    { kind: "invalid_request", provider, cause },
  );
}
