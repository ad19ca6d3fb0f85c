import type { ChatStreamPart } from "../../llm/stream-part.js";
import { eventBatches, type SseEvent } from "./parse-sse.js";

/**
 * An adapter's reading of its vendor's stream, one event at a time and synchronously: the state of
 * one stream (its id, model, usage so far, open tool calls) and the unified parts each event gives.
 * Both stream paths run on it: the translated one through `readStreamParts`, the same-protocol
 * relay (`relayEvents`) directly, a whole network read of events in one go.
 */
export interface StreamReader {
  /**
   * Reads one event and appends the parts it gives to `parts`. True when it was the stream's end
   * event (nothing after it is read). A failure the stream carries (an error event, malformed data)
   * is thrown, as a ProviderError.
   */
  read(event: SseEvent, parts: ChatStreamPart[]): boolean;
  /** The events ran out before the end event: throws the adapter's error for a cut stream. */
  end(): never;
}

/**
 * A reader's parts over a stream of events: what an adapter's stream yields on the translated path.
 * Events are taken a network read at a time (`eventBatches`), so a read's events cost one wait.
 * The events are closed however the parts stop (the end event, a failure, the consumer leaving).
 */
export async function* readStreamParts(
  events: AsyncIterable<SseEvent>,
  reader: StreamReader,
): AsyncGenerator<ChatStreamPart> {
  const batches = eventBatches(events);
  const parts: ChatStreamPart[] = [];
  try {
    for (let batch = await batches.next(); batch !== undefined; batch = await batches.next()) {
      for (const event of batch) {
        const done = reader.read(event, parts);
        if (parts.length > 0) {
          const ready = parts.splice(0);
          for (const part of ready) yield part;
        }
        if (done) return;
      }
    }
    reader.end();
  } finally {
    await batches.close();
  }
}

/**
 * Where a stream's output starts, for a reader: reasoning that comes before any output is held back
 * (it must not pass the commit point), and the first output part goes out right after
 * `response-metadata` and the reasoning held until then.
 */
export class OutputStart {
  started = false;
  private readonly held: ChatStreamPart[] = [];

  /** Appends an output part; the first one comes after the metadata and the held reasoning. */
  output(part: ChatStreamPart, parts: ChatStreamPart[], id: string, model: string): void {
    if (!this.started) this.start(parts, id, model);
    parts.push(part);
  }

  /** Appends a reasoning part once output has started; holds it before. */
  reasoning(part: ChatStreamPart | undefined, parts: ChatStreamPart[]): void {
    if (part === undefined) return;
    if (this.started) parts.push(part);
    else this.held.push(part);
  }

  /** At the end event: the metadata and held reasoning of an answer that has no output. */
  close(parts: ChatStreamPart[], id: string, model: string): void {
    if (!this.started) this.start(parts, id, model);
  }

  private start(parts: ChatStreamPart[], id: string, model: string): void {
    this.started = true;
    parts.push({ type: "response-metadata", id, model }, ...this.held);
    this.held.length = 0;
  }
}
