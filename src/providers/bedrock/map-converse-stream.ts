import { ProviderError } from "../../errors/provider-error.js";
import type { FinishReason, Usage } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { isRecord, readNumber, readRecord, readString } from "../shared/json-fields.js";
import { parseJsonText } from "../shared/parse-json-text.js";
import { reasoningOrigin } from "./anthropic-model.js";
import type { EventStreamMessage } from "./decode-event-stream.js";
import { mapConverseStopReason, mapConverseUsage, readReasoning } from "./map-converse-response.js";
import { streamExceptionOf } from "./map-error.js";

/**
 * ConverseStream events -> unified stream parts. `response-metadata` (the request id, the model
 * asked for) comes right before the first output; `reasoningContent` deltas (text, signature,
 * redacted) are `reasoning-delta` parts; `messageStop` carries the finish reason and the
 * `metadata` event after it the usage, so both are sent at the end: usage, then finish. An
 * exception message throws a classified ProviderError (`modelStreamErrorException` mid-stream is
 * transient); a stream that ends without `messageStop` throws a transient one.
 */
export async function* mapConverseStream(
  messages: AsyncIterable<EventStreamMessage>,
  options: { provider: string; model: string; requestId: string },
): AsyncGenerator<ChatStreamPart> {
  const { provider } = options;
  const origin = reasoningOrigin(options.model);
  let started = false;
  let finish: { finishReason: FinishReason; rawFinishReason: string | null } | undefined;
  let usage: Usage | undefined;
  /** Content block index -> position among the tool calls. */
  const toolIndexes = new Map<number, number>();
  const emit = (part: ChatStreamPart): ChatStreamPart[] => {
    if (started) return [part];
    started = true;
    return [{ type: "response-metadata", id: options.requestId, model: options.model }, part];
  };

  for await (const message of messages) {
    const exception = streamExceptionOf(message, provider);
    if (exception !== undefined) throw exception;
    const data = parseJsonText(message.body, { provider, what: "stream event" });
    if (!isRecord(data)) continue;
    const blockIndex = readNumber(data, "contentBlockIndex") ?? 0;
    switch (message.headers[":event-type"]) {
      case "contentBlockStart": {
        const toolUse = readRecord(readRecord(data, "start") ?? {}, "toolUse");
        if (toolUse === undefined) break;
        const index = toolIndexes.size;
        toolIndexes.set(blockIndex, index);
        yield* emit({
          type: "tool-call-delta",
          index,
          id: readString(toolUse, "toolUseId") ?? "",
          name: readString(toolUse, "name") ?? "",
          argumentsDelta: "",
        });
        break;
      }
      case "contentBlockDelta": {
        const delta = readRecord(data, "delta") ?? {};
        const text = readString(delta, "text");
        if (text !== undefined && text !== "") yield* emit({ type: "text-delta", text });
        const thought = readRecord(delta, "reasoningContent");
        if (thought !== undefined) {
          const { text: reasoningText, ...rest } = readReasoning(thought, origin);
          yield* emit({ ...rest, type: "reasoning-delta", text: reasoningText });
        }
        const input = readString(readRecord(delta, "toolUse") ?? {}, "input");
        const index = toolIndexes.get(blockIndex);
        if (input !== undefined && input !== "" && index !== undefined) {
          yield* emit({ type: "tool-call-delta", index, argumentsDelta: input });
        }
        break;
      }
      case "messageStop": {
        const raw = readString(data, "stopReason");
        finish = { finishReason: mapConverseStopReason(raw), rawFinishReason: raw ?? null };
        break;
      }
      case "metadata": {
        const counts = readRecord(data, "usage");
        if (counts !== undefined) usage = mapConverseUsage(counts);
        break;
      }
    }
  }
  if (finish === undefined) {
    throw new ProviderError(`${provider}: the stream ended without messageStop`, {
      kind: "transient",
      provider,
    });
  }
  if (!started) yield { type: "response-metadata", id: options.requestId, model: options.model };
  if (usage !== undefined) yield { type: "usage", usage };
  yield { type: "finish", ...finish };
}
