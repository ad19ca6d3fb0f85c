import { ProviderError } from "../../errors/provider-error.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { isRecord, type JsonRecord, readRecord, readString } from "../shared/json-fields.js";
import { parseJsonText } from "../shared/parse-json-text.js";
import type { SseEvent } from "../shared/parse-sse.js";
import { OutputStart, readStreamParts, type StreamReader } from "../shared/stream-reader.js";
import { mapStreamError } from "./map-error.js";
import { responsesReasoningDelta } from "./map-reasoning.js";
import { finishReasonOf, mapResponsesUsage, rawReason } from "./map-responses-response.js";

/**
 * Responses API stream events -> unified stream parts. Text and refusal deltas are text; each
 * `function_call` output item is a tool call (numbered in order of appearance) whose argument deltas
 * follow. `response.completed` or `response.incomplete` ends the stream with usage and finish; an
 * `error` event or `response.failed` throws, and so does an end without either.
 * `response-metadata` comes right before the first output part. Reasoning summary deltas and each
 * finished reasoning item (its id and encrypted content) are `reasoning-delta` parts, held back until
 * the first output part so that they do not pass the commit point.
 */
export function mapResponsesStream(
  events: AsyncIterable<SseEvent>,
  options: { provider: string },
): AsyncGenerator<ChatStreamPart> {
  return readStreamParts(events, new ResponsesEventReader(options));
}

/** The `StreamReader` of Responses API stream events (see `mapResponsesStream`). */
export class ResponsesEventReader implements StreamReader {
  private readonly provider: string;
  private id = "";
  private model = "";
  private readonly start = new OutputStart();
  private readonly callIndexes = new Map<string, number>();

  constructor(options: { provider: string }) {
    this.provider = options.provider;
  }

  read(event: SseEvent, parts: ChatStreamPart[]): boolean {
    const { provider, callIndexes } = this;
    const data = parseJsonText(event.data, { provider, what: "stream event" });
    if (!isRecord(data)) {
      throw new ProviderError(`${provider} sent a stream event that is not a JSON object`, {
        kind: "transient",
        provider,
      });
    }
    const type = readString(data, "type") ?? event.event ?? "";
    if (type === "" && data.error !== undefined && data.error !== null) {
      throw mapStreamError(data.error, provider);
    }
    switch (type) {
      case "response.created":
      case "response.in_progress": {
        const response = readRecord(data, "response");
        if (response) {
          this.id ||= readString(response, "id") ?? "";
          this.model ||= readString(response, "model") ?? "";
        }
        return false;
      }
      case "response.output_text.delta":
      case "response.refusal.delta": {
        const text = readString(data, "delta") ?? "";
        if (text !== "") this.output({ type: "text-delta", text }, parts);
        return false;
      }
      case "response.output_item.added": {
        const item = readRecord(data, "item");
        if (item?.type !== "function_call") return false;
        const index = callIndexes.size;
        callIndexes.set(readString(item, "id") ?? String(index), index);
        this.output(
          {
            type: "tool-call-delta",
            index,
            id: readString(item, "call_id") ?? "",
            name: readString(item, "name") ?? "",
            argumentsDelta: readString(item, "arguments") ?? "",
          },
          parts,
        );
        return false;
      }
      case "response.function_call_arguments.delta": {
        const index = callIndexes.get(readString(data, "item_id") ?? "");
        const delta = readString(data, "delta") ?? "";
        if (index !== undefined && delta !== "") {
          this.output({ type: "tool-call-delta", index, argumentsDelta: delta }, parts);
        }
        return false;
      }
      case "response.completed":
      case "response.incomplete": {
        const response = readRecord(data, "response") ?? {};
        this.start.close(parts, this.id, this.model);
        parts.push(...closing(response, callIndexes.size > 0));
        return true;
      }
      case "response.failed": {
        const response = readRecord(data, "response");
        throw mapStreamError(response?.error ?? { message: "the response failed" }, provider);
      }
      case "error":
        throw mapStreamError(data, provider);
      default: {
        this.start.reasoning(responsesReasoningDelta(type, data), parts);
        return false;
      }
    }
  }

  end(): never {
    const { provider } = this;
    throw new ProviderError(`${provider}: stream ended without response.completed`, {
      kind: "transient",
      provider,
    });
  }

  private output(part: ChatStreamPart, parts: ChatStreamPart[]): void {
    this.start.output(part, parts, this.id, this.model);
  }
}

function closing(response: JsonRecord, hasToolCalls: boolean): ChatStreamPart[] {
  const parts: ChatStreamPart[] = [];
  const usage = mapResponsesUsage(response.usage);
  if (usage !== undefined) parts.push({ type: "usage", usage });
  const raw = rawReason(response);
  parts.push({
    type: "finish",
    finishReason: finishReasonOf(raw, hasToolCalls),
    rawFinishReason: raw,
  });
  return parts;
}
