/**
 * Responses input items -> unified messages.
 *
 * - `developer` messages become `system`; content parts: see parse-input-parts.ts.
 * - `function_call` items join the assistant message before them; `function_call_output` items
 *   become tool messages.
 * - `reasoning` items become the `reasoning` of the assistant message after them: with
 *   `encrypted_content`, origin `openai` (replayable to a Responses target only); without, origin
 *   `unsigned` (replayed nowhere). A target that cannot take them has them left out, recorded in
 *   the trace.
 */
import type { ChatMessage, ReasoningPart } from "../../../llm/chat.js";
import { REASONING_ORIGIN } from "../reasoning-origin.js";
import { outputParts, outputText, textOf, toUserPart } from "./parse-input-parts.js";
import type { StoredItem } from "./stored-items.js";
import { untranslatable } from "./untranslatable.js";

/**
 * Appends the messages of `items` to `messages`. Reasoning items join the assistant message that
 * follows them (one made for them when none does).
 */
export function itemsToMessages(items: readonly StoredItem[], messages: ChatMessage[]): void {
  const toolNames = new Map<string, string>();
  let reasoning: ReasoningPart[] = [];
  /** The assistant message the pending reasoning led to. */
  const attach = (message: ChatMessage): void => {
    if (message.role !== "assistant" || reasoning.length === 0) return;
    message.reasoning = [...(message.reasoning ?? []), ...reasoning];
    reasoning = [];
  };
  items.forEach((item, index) => {
    switch (item.type) {
      case "message": {
        const message = toMessage(item, index);
        attach(message);
        messages.push(message);
        return;
      }
      case "function_call": {
        const callId = String(item.call_id);
        const name = String(item.name);
        toolNames.set(callId, name);
        const call = { id: callId, name, arguments: String(item.arguments) };
        const last = messages.at(-1);
        if (last?.role === "assistant" && reasoning.length === 0) {
          last.toolCalls = [...(last.toolCalls ?? []), call];
        } else {
          const message: ChatMessage = { role: "assistant", content: null, toolCalls: [call] };
          attach(message);
          messages.push(message);
        }
        return;
      }
      case "function_call_output": {
        const callId = String(item.call_id);
        const tool: ChatMessage = {
          role: "tool",
          toolCallId: callId,
          content: outputText(item.output),
        };
        const parts = outputParts(item.output, `input[${index}].output`);
        if (parts !== undefined) tool.parts = parts;
        const name = toolNames.get(callId);
        if (name !== undefined) tool.name = name;
        messages.push(tool);
        return;
      }
      case "reasoning":
        reasoning.push(toReasoningPart(item));
        return;
      default:
        throw untranslatable(
          `input[${index}].type`,
          `Invalid value for 'input[${index}].type': '${item.type}' items cannot be sent to this model's targets.`,
        );
    }
  });
  if (reasoning.length > 0) {
    const message: ChatMessage = { role: "assistant", content: null };
    attach(message);
    messages.push(message);
  }
}

/**
 * A reasoning item: its summary texts joined, its encrypted content and id (see the notes above).
 */
function toReasoningPart(item: StoredItem): ReasoningPart {
  const summary = Array.isArray(item.summary) ? (item.summary as Record<string, unknown>[]) : [];
  const text = summary.map((entry) => String(entry.text ?? "")).join("\n\n");
  const opaque = typeof item.encrypted_content === "string" ? item.encrypted_content : undefined;
  if (opaque === undefined) return { type: "reasoning", origin: REASONING_ORIGIN.unsigned, text };
  return { type: "reasoning", origin: REASONING_ORIGIN.responses, text, opaque, id: item.id };
}

function toMessage(item: StoredItem, index: number): ChatMessage {
  const role = String(item.role);
  const content = item.content as string | Record<string, unknown>[];
  if (role === "system" || role === "developer") {
    return { role: "system", content: textOf(content) };
  }
  if (role === "assistant") return { role: "assistant", content: textOf(content) };
  if (typeof content === "string") return { role: "user", content };
  const only = content.length === 1 ? content[0] : undefined;
  if (only?.type === "input_text") return { role: "user", content: String(only.text) };
  return {
    role: "user",
    content: content.map((part, partIndex) =>
      toUserPart(part, `input[${index}].content[${partIndex}]`),
    ),
  };
}
