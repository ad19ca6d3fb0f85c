import { ProviderError } from "../../errors/provider-error.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { isRecord, type JsonRecord, readRecord, readString } from "../shared/json-fields.js";
import { parseJsonText } from "../shared/parse-json-text.js";
import type { SseEvent } from "../shared/parse-sse.js";
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
export async function* mapResponsesStream(
  events: AsyncIterable<SseEvent>,
  options: { provider: string },
): AsyncGenerator<ChatStreamPart> {
  const { provider } = options;
  let id = "";
  let model = "";
  let started = false;
  const callIndexes = new Map<string, number>();
  /** Reasoning that came before the first output: it goes out with it. */
  const held: ChatStreamPart[] = [];

  for await (const event of events) {
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
    const parts: ChatStreamPart[] = [];
    switch (type) {
      case "response.created":
      case "response.in_progress": {
        const response = readRecord(data, "response");
        if (response) {
          id ||= readString(response, "id") ?? "";
          model ||= readString(response, "model") ?? "";
        }
        continue;
      }
      case "response.output_text.delta":
      case "response.refusal.delta": {
        const text = readString(data, "delta") ?? "";
        if (text !== "") parts.push({ type: "text-delta", text });
        break;
      }
      case "response.output_item.added": {
        const item = readRecord(data, "item");
        if (item?.type !== "function_call") continue;
        const index = callIndexes.size;
        callIndexes.set(readString(item, "id") ?? String(index), index);
        parts.push({
          type: "tool-call-delta",
          index,
          id: readString(item, "call_id") ?? "",
          name: readString(item, "name") ?? "",
          argumentsDelta: readString(item, "arguments") ?? "",
        });
        break;
      }
      case "response.function_call_arguments.delta": {
        const index = callIndexes.get(readString(data, "item_id") ?? "");
        const delta = readString(data, "delta") ?? "";
        if (index === undefined || delta === "") continue;
        parts.push({ type: "tool-call-delta", index, argumentsDelta: delta });
        break;
      }
      case "response.completed":
      case "response.incomplete": {
        const response = readRecord(data, "response") ?? {};
        if (!started) yield { type: "response-metadata", id, model };
        yield* held;
        yield* closing(response, callIndexes.size > 0);
        return;
      }
      case "response.failed": {
        const response = readRecord(data, "response");
        throw mapStreamError(response?.error ?? { message: "the response failed" }, provider);
      }
      case "error":
        throw mapStreamError(data, provider);
      default: {
        const reasoning = responsesReasoningDelta(type, data);
        if (reasoning === undefined) continue;
        if (started) yield reasoning;
        else held.push(reasoning);
        continue;
      }
    }
    if (parts.length === 0) continue;
    if (!started) {
      started = true;
      yield { type: "response-metadata", id, model };
      yield* held.splice(0);
    }
    yield* parts;
  }
  throw new ProviderError(`${provider}: stream ended without response.completed`, {
    kind: "transient",
    provider,
  });
}

function* closing(response: JsonRecord, hasToolCalls: boolean): Generator<ChatStreamPart> {
  const usage = mapResponsesUsage(response.usage);
  if (usage !== undefined) yield { type: "usage", usage };
  const raw = rawReason(response);
  yield { type: "finish", finishReason: finishReasonOf(raw, hasToolCalls), rawFinishReason: raw };
}
