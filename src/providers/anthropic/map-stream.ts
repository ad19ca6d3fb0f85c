import { ProviderError } from "../../errors/provider-error.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import {
  isRecord,
  type JsonRecord,
  readNumber,
  readRecord,
  readString,
} from "../shared/json-fields.js";
import { parseJsonText } from "../shared/parse-json-text.js";
import type { SseEvent } from "../shared/parse-sse.js";
import { mapStreamError } from "./map-error.js";
import { thinkingDeltaPart } from "./map-reasoning.js";
import { mapStopReason } from "./map-stop-reason.js";
import { type AnthropicUsageCounts, readUsageCounts, toUsage } from "./map-usage.js";

export interface MapStreamOptions {
  /** The provider's name, for errors. */
  provider: string;
  /** The wall clock, for the "regain access" time of a spend-limit error event. */
  now: () => number;
}

interface ToolBlock {
  /** Position among the message's tool calls (not among all content blocks). */
  index: number;
  argumentChars: number;
  /** The `input` the block opened with, sent at its end if no argument deltas came. */
  initialInput: unknown;
}

/**
 * Messages API stream events -> unified stream parts. `response-metadata` comes right before the
 * first output part; `usage` and `finish` come at `message_stop`, the terminal event. An `error`
 * event, malformed JSON, or an end without `message_stop` throws a ProviderError. Thinking
 * (`thinking_delta`, `signature_delta`, `redacted_thinking` blocks) becomes `reasoning-delta` parts,
 * held back until the first output part so that they do not pass the commit point. `ping` and
 * unknown events are skipped.
 */
export async function* mapStream(
  events: AsyncIterable<SseEvent>,
  options: MapStreamOptions,
): AsyncGenerator<ChatStreamPart> {
  const { provider } = options;
  let id = "";
  let model = "";
  let started = false;
  let counts: AnthropicUsageCounts | undefined;
  let stopReason: string | null = null;
  let toolCount = 0;
  let eventCount = 0;
  const toolBlocks = new Map<number, ToolBlock>();
  /** Reasoning that came before the first output: it goes out with it. */
  const held: ChatStreamPart[] = [];
  /** The part, preceded by `response-metadata` and held reasoning if it is the first output. */
  const emit = (part: ChatStreamPart): ChatStreamPart[] => {
    if (started) return [part];
    started = true;
    return [{ type: "response-metadata", id, model }, ...held.splice(0), part];
  };
  const reasoning = (part: ChatStreamPart | undefined): ChatStreamPart[] => {
    if (part === undefined) return [];
    if (started) return [part];
    held.push(part);
    return [];
  };

  for await (const event of events) {
    eventCount += 1;
    const data = parseJsonText(event.data, { provider, what: "stream event" });
    if (!isRecord(data)) throw malformed(provider, `event ${eventCount} is not a JSON object`);
    const type = readString(data, "type") ?? event.event;
    switch (type) {
      case "message_start": {
        const message = readRecord(data, "message") ?? {};
        id = readString(message, "id") ?? id;
        model = readString(message, "model") ?? model;
        const usage = readRecord(message, "usage");
        if (usage !== undefined) counts = readUsageCounts(usage);
        break;
      }
      case "content_block_start": {
        const block = readRecord(data, "content_block") ?? {};
        const blockIndex = readBlockIndex(data, provider, eventCount);
        const blockType = readString(block, "type");
        if (blockType === "text") {
          const text = readString(block, "text") ?? "";
          if (text !== "") yield* emit({ type: "text-delta", text });
        } else if (blockType === "redacted_thinking") {
          yield* reasoning(thinkingDeltaPart(block));
        } else if (blockType === "tool_use") {
          const tool: ToolBlock = { index: toolCount, argumentChars: 0, initialInput: block.input };
          toolCount += 1;
          toolBlocks.set(blockIndex, tool);
          yield* emit({
            type: "tool-call-delta",
            index: tool.index,
            id: readString(block, "id") ?? "",
            name: readString(block, "name") ?? "",
            argumentsDelta: "",
          });
        }
        break;
      }
      case "content_block_delta": {
        const delta = readRecord(data, "delta") ?? {};
        const deltaType = readString(delta, "type");
        // The per-token path yields directly: no array, no delegation.
        if (deltaType === "text_delta") {
          const text = readString(delta, "text") ?? "";
          if (text === "") break;
          if (!started) yield* emit({ type: "text-delta", text });
          else yield { type: "text-delta", text };
        } else if (deltaType === "thinking_delta" || deltaType === "signature_delta") {
          yield* reasoning(thinkingDeltaPart(delta));
        } else if (deltaType === "input_json_delta") {
          // Server tools (web search, ...) stream their input too; only client tool calls count.
          const tool = toolBlocks.get(readBlockIndex(data, provider, eventCount));
          const json = readString(delta, "partial_json") ?? "";
          if (tool !== undefined && json !== "") {
            tool.argumentChars += json.length;
            const part: ChatStreamPart = {
              type: "tool-call-delta",
              index: tool.index,
              argumentsDelta: json,
            };
            if (!started) yield* emit(part);
            else yield part;
          }
        }
        break;
      }
      case "content_block_stop": {
        const tool = toolBlocks.get(readBlockIndex(data, provider, eventCount));
        if (tool !== undefined && tool.argumentChars === 0) {
          // A tool called without arguments streams no JSON at all; say `{}` as the full body does.
          const argumentsDelta = JSON.stringify(tool.initialInput ?? {});
          yield* emit({ type: "tool-call-delta", index: tool.index, argumentsDelta });
        }
        break;
      }
      case "message_delta": {
        stopReason = readString(readRecord(data, "delta") ?? {}, "stop_reason") ?? stopReason;
        const usage = readRecord(data, "usage");
        // The counts here are cumulative: they replace what message_start said, field by field.
        if (usage !== undefined) counts = mergeCounts(counts, usage);
        break;
      }
      case "message_stop": {
        if (counts !== undefined) yield* emit({ type: "usage", usage: toUsage(counts) });
        yield* emit({
          type: "finish",
          finishReason: mapStopReason(stopReason),
          rawFinishReason: stopReason,
        });
        return;
      }
      case "error":
        throw mapStreamError(data, options.now(), provider);
      // ping and event types added later are skipped.
    }
  }
  throw new ProviderError(
    `${provider} stream ended without message_stop after ${eventCount} event(s)`,
    { kind: "transient", provider },
  );
}

function readBlockIndex(data: JsonRecord, provider: string, eventCount: number): number {
  const index = readNumber(data, "index");
  if (index === undefined) throw malformed(provider, `event ${eventCount} has no block index`);
  return index;
}

function mergeCounts(
  previous: AnthropicUsageCounts | undefined,
  usage: JsonRecord,
): AnthropicUsageCounts {
  const base = previous ?? readUsageCounts({});
  return {
    inputTokens: readNumber(usage, "input_tokens") ?? base.inputTokens,
    outputTokens: readNumber(usage, "output_tokens") ?? base.outputTokens,
    cacheReadInputTokens: readNumber(usage, "cache_read_input_tokens") ?? base.cacheReadInputTokens,
    cacheCreationInputTokens:
      readNumber(usage, "cache_creation_input_tokens") ?? base.cacheCreationInputTokens,
  };
}

function malformed(provider: string, problem: string): ProviderError {
  return new ProviderError(`${provider} sent a malformed stream: ${problem}`, {
    kind: "transient",
    provider,
  });
}
