import { ProviderError } from "../../errors/provider-error.js";
import type { ChatResult, ReasoningPart, ToolCall } from "../../llm/chat.js";
import { isRecord, readRecord, readString } from "../shared/json-fields.js";
import { readThinkingBlock } from "./map-reasoning.js";
import { mapStopReason } from "./map-stop-reason.js";
import { readUsageCounts, toUsage } from "./map-usage.js";

/**
 * A Messages API response body -> the unified result (pure). Text blocks are joined as they come;
 * `tool_use` blocks become tool calls with their `input` as JSON text; `thinking` and
 * `redacted_thinking` blocks become `reasoning` with their signature or data; other blocks (server
 * tool results) are left out. A body that is not a message throws a `transient` ProviderError.
 */
export function mapResponse(body: unknown, options: { provider: string }): ChatResult {
  const { provider } = options;
  const malformed = (problem: string) =>
    new ProviderError(`${provider} returned a malformed message: ${problem}`, {
      kind: "transient",
      provider,
    });
  if (!isRecord(body)) throw malformed("the body is not a JSON object");
  const id = readString(body, "id");
  const content = body.content;
  if (id === undefined) throw malformed("no message id");
  if (!Array.isArray(content)) throw malformed(`message ${id} has no content array`);

  let text = "";
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    const type = readString(block, "type");
    const thinking = readThinkingBlock(block);
    if (thinking !== undefined) {
      reasoning.push(thinking);
    } else if (type === "text") {
      text += readString(block, "text") ?? "";
    } else if (type === "tool_use") {
      const callId = readString(block, "id");
      const name = readString(block, "name");
      if (callId === undefined || name === undefined) {
        throw malformed(`a tool_use block in message ${id} lacks its id or name`);
      }
      toolCalls.push({ id: callId, name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  const stopReason = readString(body, "stop_reason") ?? null;
  const usage = readRecord(body, "usage");
  const result: ChatResult = {
    id,
    model: readString(body, "model") ?? "",
    adapterType: "anthropic",
    text,
    toolCalls,
    finishReason: mapStopReason(stopReason),
    rawFinishReason: stopReason,
    usage: usage === undefined ? undefined : toUsage(readUsageCounts(usage)),
  };
  if (reasoning.length > 0) result.reasoning = reasoning;
  return result;
}
