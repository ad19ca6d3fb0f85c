import { type ChatStreamPart, OUTPUT_PART_TYPES } from "../../llm/stream-part.js";
import { eventBatches, type SseEvent } from "./parse-sse.js";
import type { StreamReader } from "./stream-reader.js";

/** The most events relayed in one part: a long backlog goes on in several. */
const MAX_EVENTS_PER_PART = 64;

/**
 * Relays a stream's events as `wire-events` parts while the adapter's reader reads them. Events are
 * taken a network read at a time (`eventBatches`) and read synchronously, so a read's events cost
 * one wait, not one each. They are held back until the reader reports the first output (text,
 * reasoning or a tool call; not its `response-metadata`, which an answer without output also sends
 * before it finishes), so the commit point stays where it is on the translated path: an error
 * before it still fails over. After that, the events of one read go out together, in one part,
 * when the read is done (so an event is never held while the stream waits). The reader's `usage`
 * and `finish` parts pass along for accounting, after the events that came before them. When the
 * reader fails, the events before the failing one are relayed (once committed), then the failure.
 *
 * `open` sends the request: it runs at the first part asked for, and its failure is thrown there.
 * The events are closed however the relay stops.
 */
export async function* relayEvents(
  open: () => Promise<AsyncIterable<SseEvent>>,
  reader: StreamReader,
): AsyncGenerator<ChatStreamPart> {
  const batches = eventBatches(await open());
  const parts: ChatStreamPart[] = [];
  let held: SseEvent[] = [];
  let committed = false;
  const release = (): ChatStreamPart => {
    const events = held;
    held = [];
    return { type: "wire-events", events };
  };
  try {
    for (let batch = await batches.next(); batch !== undefined; batch = await batches.next()) {
      for (const event of batch) {
        let done: boolean;
        try {
          done = reader.read(event, parts);
        } catch (error) {
          // What was read without failing still reaches the client, as it would one by one.
          if (committed && held.length > 0) yield release();
          throw error;
        }
        held.push(event);
        if (parts.length > 0) {
          for (const part of parts) {
            if (OUTPUT_PART_TYPES.has(part.type)) {
              committed = true;
            } else if (part.type === "usage" || part.type === "finish") {
              if (committed && held.length > 0) yield release();
              yield part;
            }
          }
          parts.length = 0;
        }
        // The protocol's end event: the rest goes out, committed or not (an answer without output).
        if (done) {
          if (held.length > 0) yield release();
          return;
        }
        if (committed && held.length >= MAX_EVENTS_PER_PART) yield release();
      }
      if (committed && held.length > 0) yield release();
    }
    reader.end();
  } finally {
    await batches.close();
  }
}
