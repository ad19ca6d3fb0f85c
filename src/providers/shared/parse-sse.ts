import { type ResponseLimit, responseTooLargeError } from "./response-limit.js";

/** One server-sent event. `event` is undefined when the event named no type (the default "message"). */
export interface SseEvent {
  event: string | undefined;
  data: string;
  /** The last event ID seen so far in the stream (it carries over, as in the WHATWG rules). */
  id: string | undefined;
}

/**
 * Reads a `text/event-stream` body per the WHATWG rules: lines end in \n, \r\n or \r (also when a
 * \r\n is split across chunks), `data:` lines join with \n, one space after the colon is stripped,
 * comment lines are ignored, a blank line dispatches, and an unfinished event at the end is dropped.
 * UTF-8 split across chunks decodes correctly (and a leading BOM is dropped).
 *
 * With a `limit`, an event (its unfinished line and data so far, in characters) longer than
 * `limit.maxBytes` fails the stream with a `transient` ProviderError instead of growing without end.
 */
export async function* parseSse(
  body: AsyncIterable<Uint8Array>,
  limit?: ResponseLimit,
): AsyncGenerator<SseEvent> {
  const decoder = new Utf8Chunks();
  const state: ParserState = {
    buffer: "",
    skipLineFeed: false,
    eventType: "",
    data: "",
    hasData: false,
    lastId: undefined,
  };
  const ready: SseEvent[] = [];
  for await (const chunk of body) {
    const text = decoder.decode(chunk);
    if (text === "") continue;
    feed(state, text, ready);
    if (limit !== undefined && state.buffer.length + state.data.length > limit.maxBytes) {
      throw responseTooLargeError(limit, "stream event");
    }
    if (ready.length > 0) {
      for (const event of ready) yield event;
      ready.length = 0;
    }
  }
  feed(state, decoder.end(), ready);
  for (const event of ready) yield event;
  // Whatever is left in the buffer or the event fields is an unfinished event: dropped.
}

/**
 * UTF-8 bytes arriving in chunks, decoded chunk by chunk: a character split across chunks waits for
 * its last bytes, a leading byte-order mark is dropped, malformed bytes become U+FFFD. What
 * `TextDecoder` does with `stream: true`, without its per-stream ICU converter, which cost more than
 * the decoding of a short stream itself.
 */
class Utf8Chunks {
  /** The first bytes of a character whose last bytes are still to come. */
  private carried: Buffer | undefined;
  private started = false;

  decode(chunk: Uint8Array): string {
    let bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.carried !== undefined) {
      bytes = Buffer.concat([this.carried, bytes]);
      this.carried = undefined;
    }
    const cut = bytes.length - unfinishedBytes(bytes);
    if (cut < bytes.length) this.carried = bytes.subarray(cut);
    return this.text(bytes.toString("utf8", 0, cut));
  }

  /** What is left at the end of the stream (an unfinished character becomes U+FFFD). */
  end(): string {
    const carried = this.carried;
    this.carried = undefined;
    return carried === undefined ? "" : this.text(carried.toString("utf8"));
  }

  private text(text: string): string {
    if (this.started || text === "") return text;
    this.started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** How many bytes at the end of `bytes` begin a character that is not complete yet (0 to 3). */
function unfinishedBytes(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 4 && back <= length; back++) {
    const byte = bytes[length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return size > back ? back : 0;
  }
  return 0;
}

interface ParserState {
  /** Text after the last line end. */
  buffer: string;
  /** The previous chunk ended in \r: a \n at the start of the next one belongs to that line end. */
  skipLineFeed: boolean;
  eventType: string;
  data: string;
  hasData: boolean;
  lastId: string | undefined;
}

function feed(state: ParserState, text: string, ready: SseEvent[]): void {
  let input = text;
  if (state.skipLineFeed && input.length > 0) {
    if (input.charCodeAt(0) === 10) input = input.slice(1);
    state.skipLineFeed = false;
  }
  // The buffer holds no line end: search only the new text, and a long line only grows the buffer
  // (searching buffer + input on every chunk would be quadratic in the line's length).
  const inputLf = input.indexOf("\n");
  const inputCr = input.indexOf("\r");
  if (inputLf === -1 && inputCr === -1) {
    state.buffer += input;
    return;
  }
  const offset = state.buffer.length;
  const source = offset === 0 ? input : state.buffer + input;
  const length = source.length;
  let start = 0;
  // Next positions of \n and \r; -1 once there are none left, so each is searched at most once past a line.
  let nextLf = inputLf === -1 ? -1 : inputLf + offset;
  let nextCr = inputCr === -1 ? -1 : inputCr + offset;
  while (nextLf !== -1 || nextCr !== -1) {
    let end: number;
    let next: number;
    if (nextCr === -1 || (nextLf !== -1 && nextLf < nextCr)) {
      end = nextLf;
      next = end + 1;
    } else {
      end = nextCr;
      if (end + 1 < length) {
        next = source.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      } else {
        next = end + 1;
        state.skipLineFeed = true;
      }
    }
    processLine(state, source.slice(start, end), ready);
    start = next;
    if (nextLf !== -1 && nextLf < start) nextLf = source.indexOf("\n", start);
    if (nextCr !== -1 && nextCr < start) nextCr = source.indexOf("\r", start);
  }
  state.buffer = start === 0 ? source : source.slice(start);
}

function processLine(state: ParserState, line: string, ready: SseEvent[]): void {
  if (line === "") {
    if (state.hasData) {
      ready.push({
        event: state.eventType === "" ? undefined : state.eventType,
        data: state.data,
        id: state.lastId,
      });
    }
    state.eventType = "";
    state.data = "";
    state.hasData = false;
    return;
  }
  const colon = line.indexOf(":");
  if (colon === 0) return; // a comment
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = "";
  if (colon !== -1) {
    const valueStart = line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
    value = line.slice(valueStart);
  }
  switch (field) {
    case "data":
      state.data = state.hasData ? `${state.data}\n${value}` : value;
      state.hasData = true;
      return;
    case "event":
      state.eventType = value;
      return;
    case "id":
      if (!value.includes("\0")) state.lastId = value;
      return;
    // "retry" and unknown fields are ignored.
  }
}
