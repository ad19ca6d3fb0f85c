import { ProviderError } from "../../errors/provider-error.js";
import type { Usage } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { type MapStreamOptions, MessagesEventReader } from "../anthropic/index.js";
import { isRecord, readRecord, readString } from "../shared/json-fields.js";
import { parseJsonText } from "../shared/parse-json-text.js";
import type { SseEvent } from "../shared/parse-sse.js";
import type { StreamReader } from "../shared/stream-reader.js";
import type { EventStreamMessage } from "./decode-event-stream.js";
import { mapConverseUsage } from "./map-converse-response.js";
import { streamExceptionOf } from "./map-error.js";

/** The invocation metrics Bedrock adds to the last Anthropic event of a stream. */
const METRICS = "amazon-bedrock-invocationMetrics";

/**
 * An InvokeModelWithResponseStream body -> the Anthropic stream events it carries, as server-sent
 * events named by their `type`. Each `chunk` event holds `{"bytes": base64}`, the bytes one
 * Anthropic event's JSON; that text is the event's data, unchanged. An exception message throws its
 * classified ProviderError; a chunk without bytes, or bytes that are no JSON, a `transient` one.
 */
export async function* invokeStreamEvents(
  messages: AsyncIterable<EventStreamMessage>,
  provider: string,
): AsyncGenerator<SseEvent> {
  for await (const message of messages) {
    const exception = streamExceptionOf(message, provider);
    if (exception !== undefined) throw exception;
    if (message.headers[":event-type"] !== "chunk") continue;
    const chunk = parseJsonText(message.body, { provider, what: "stream chunk" });
    const bytes = isRecord(chunk) ? readString(chunk, "bytes") : undefined;
    if (bytes === undefined) {
      throw new ProviderError(`${provider} sent a stream chunk without bytes`, {
        kind: "transient",
        provider,
      });
    }
    const data = Buffer.from(bytes, "base64").toString("utf8");
    const event = parseJsonText(data, { provider, what: "stream event" });
    yield { event: isRecord(event) ? readString(event, "type") : undefined, data, id: undefined };
  }
}

/**
 * The Anthropic adapter's stream reader over the relayed events, for usage, finish and the first
 * output. Usage comes from `message_start` and `message_delta`; a stream whose events carry none
 * takes it from Bedrock's invocation metrics instead.
 */
export class InvokeStreamReader implements StreamReader {
  private readonly messages: MessagesEventReader;
  private metrics: Usage | undefined;
  private usageSeen = false;

  constructor(options: MapStreamOptions) {
    this.messages = new MessagesEventReader(options);
  }

  read(event: SseEvent, parts: ChatStreamPart[]): boolean {
    if (event.data.includes(METRICS)) this.metrics = readMetrics(event.data) ?? this.metrics;
    const before = parts.length;
    const done = this.messages.read(event, parts);
    for (let index = before; index < parts.length; index++) {
      const part = parts[index] as ChatStreamPart;
      if (part.type === "usage") this.usageSeen = true;
      if (part.type === "finish" && !this.usageSeen && this.metrics !== undefined) {
        parts.splice(index, 0, { type: "usage", usage: this.metrics });
        this.usageSeen = true;
        index += 1;
      }
    }
    return done;
  }

  end(): never {
    return this.messages.end();
  }
}

/** Invocation metric -> Converse usage field. */
const METRIC_NAMES = [
  ["inputTokenCount", "inputTokens"],
  ["outputTokenCount", "outputTokens"],
  ["cacheReadInputTokenCount", "cacheReadInputTokens"],
  ["cacheWriteInputTokenCount", "cacheWriteInputTokens"],
] as const;

/** `{"amazon-bedrock-invocationMetrics": {inputTokenCount, outputTokenCount, ...}}` -> usage. */
function readMetrics(data: string): Usage | undefined {
  const event: unknown = JSON.parse(data);
  const counts = isRecord(event) ? readRecord(event, METRICS) : undefined;
  if (counts === undefined) return undefined;
  const renamed: Record<string, unknown> = {};
  for (const [from, to] of METRIC_NAMES) if (from in counts) renamed[to] = counts[from];
  return mapConverseUsage(renamed);
}
