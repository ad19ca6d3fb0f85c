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
import { OutputStart, readStreamParts, type StreamReader } from "../shared/stream-reader.js";
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
export function mapStream(
  events: AsyncIterable<SseEvent>,
  options: MapStreamOptions,
): AsyncGenerator<ChatStreamPart> {
  return readStreamParts(events, new MessagesEventReader(options));
}

/** The `StreamReader` of Messages API stream events (see `mapStream`). */
export class MessagesEventReader implements StreamReader {
  private id = "";
  private model = "";
  private readonly start = new OutputStart();
  private counts: AnthropicUsageCounts | undefined;
  private stopReason: string | null = null;
  private toolCount = 0;
  private eventCount = 0;
  private readonly toolBlocks = new Map<number, ToolBlock>();

  constructor(private readonly options: MapStreamOptions) {}

  read(event: SseEvent, parts: ChatStreamPart[]): boolean {
    const { provider } = this.options;
    this.eventCount += 1;
    const eventCount = this.eventCount;
    const data = parseJsonText(event.data, { provider, what: "stream event" });
    if (!isRecord(data)) throw malformed(provider, `event ${eventCount} is not a JSON object`);
    const type = readString(data, "type") ?? event.event;
    switch (type) {
      case "message_start": {
        const message = readRecord(data, "message") ?? {};
        this.id = readString(message, "id") ?? this.id;
        this.model = readString(message, "model") ?? this.model;
        const usage = readRecord(message, "usage");
        if (usage !== undefined) this.counts = readUsageCounts(usage);
        break;
      }
      case "content_block_start": {
        const block = readRecord(data, "content_block") ?? {};
        const blockIndex = readBlockIndex(data, provider, eventCount);
        const blockType = readString(block, "type");
        if (blockType === "text") {
          const text = readString(block, "text") ?? "";
          if (text !== "") this.output({ type: "text-delta", text }, parts);
        } else if (blockType === "redacted_thinking") {
          this.start.reasoning(thinkingDeltaPart(block), parts);
        } else if (blockType === "tool_use") {
          const tool: ToolBlock = {
            index: this.toolCount,
            argumentChars: 0,
            initialInput: block.input,
          };
          this.toolCount += 1;
          this.toolBlocks.set(blockIndex, tool);
          this.output(
            {
              type: "tool-call-delta",
              index: tool.index,
              id: readString(block, "id") ?? "",
              name: readString(block, "name") ?? "",
              argumentsDelta: "",
            },
            parts,
          );
        }
        break;
      }
      case "content_block_delta": {
        const delta = readRecord(data, "delta") ?? {};
        const deltaType = readString(delta, "type");
        if (deltaType === "text_delta") {
          const text = readString(delta, "text") ?? "";
          if (text !== "") this.output({ type: "text-delta", text }, parts);
        } else if (deltaType === "thinking_delta" || deltaType === "signature_delta") {
          this.start.reasoning(thinkingDeltaPart(delta), parts);
        } else if (deltaType === "input_json_delta") {
          // Server tools (web search, ...) stream their input too; only client tool calls count.
          const tool = this.toolBlocks.get(readBlockIndex(data, provider, eventCount));
          const json = readString(delta, "partial_json") ?? "";
          if (tool !== undefined && json !== "") {
            tool.argumentChars += json.length;
            this.output(
              { type: "tool-call-delta", index: tool.index, argumentsDelta: json },
              parts,
            );
          }
        }
        break;
      }
      case "content_block_stop": {
        const tool = this.toolBlocks.get(readBlockIndex(data, provider, eventCount));
        if (tool !== undefined && tool.argumentChars === 0) {
          // A tool called without arguments streams no JSON at all; say `{}` as the full body does.
          const argumentsDelta = JSON.stringify(tool.initialInput ?? {});
          this.output({ type: "tool-call-delta", index: tool.index, argumentsDelta }, parts);
        }
        break;
      }
      case "message_delta": {
        const delta = readRecord(data, "delta") ?? {};
        this.stopReason = readString(delta, "stop_reason") ?? this.stopReason;
        const usage = readRecord(data, "usage");
        // The counts here are cumulative: they replace what message_start said, field by field.
        if (usage !== undefined) this.counts = mergeCounts(this.counts, usage);
        break;
      }
      case "message_stop": {
        const { counts, stopReason } = this;
        if (counts !== undefined) this.output({ type: "usage", usage: toUsage(counts) }, parts);
        this.output(
          { type: "finish", finishReason: mapStopReason(stopReason), rawFinishReason: stopReason },
          parts,
        );
        return true;
      }
      case "error":
        throw mapStreamError(data, this.options.now(), provider);
      // ping and event types added later are skipped.
    }
    return false;
  }

  end(): never {
    const { provider } = this.options;
    throw new ProviderError(
      `${provider} stream ended without message_stop after ${this.eventCount} event(s)`,
      { kind: "transient", provider },
    );
  }

  private output(part: ChatStreamPart, parts: ChatStreamPart[]): void {
    this.start.output(part, parts, this.id, this.model);
  }
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
