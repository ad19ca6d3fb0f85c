import { type ResponseLimit, responseTooLargeError } from "./response-limit.js";

/** One server-sent event. `event` is undefined when the event named no type (the default "message"). */
export interface SseEvent {
  event: string | undefined;
  data: string;
  /** The event's text as it came, from its first line through the blank line that ended it. */
  raw?: string;
  /** The last event ID seen so far in the stream (it carries over, as in the WHATWG rules). */
  id: string | undefined;
}

/**
 * An event stream being read: an async iterator of its events that can also hand out, at once,
 * every event one network read gave (`nextBatch`). A reader that does its work per network read
 * (the pass-through relay) takes batches.
 */
export interface SseEvents extends AsyncIterableIterator<SseEvent> {
  /** The events ready now, or those of the next network read; undefined at the end. */
  nextBatch(): Promise<readonly SseEvent[] | undefined>;
}

/** Events taken a network read at a time; `close` stops the source early (a no-op after its end). */
export interface EventBatches {
  next(): Promise<readonly SseEvent[] | undefined>;
  close(): Promise<void>;
}

/**
 * `events` a batch at a time: the batches of an `SseEvents`, or one event per batch from any other
 * event iterator (which cannot say what came together).
 */
export function eventBatches(events: AsyncIterable<SseEvent>): EventBatches {
  const iterator = events[Symbol.asyncIterator]() as AsyncIterator<SseEvent> & Partial<SseEvents>;
  const close = async () => {
    await iterator.return?.();
  };
  if (typeof iterator.nextBatch === "function") {
    const batches = iterator as SseEvents;
    return { next: () => batches.nextBatch(), close };
  }
  return {
    next: () => iterator.next().then((result) => (result.done ? undefined : [result.value])),
    close,
  };
}

/**
 * Reads a `text/event-stream` body per the WHATWG rules: lines end in \n, \r\n or \r (also when a
 * \r\n is split across chunks), `data:` lines join with \n, one space after the colon is stripped,
 * comment lines are ignored, a blank line dispatches, and an unfinished event at the end is dropped.
 * UTF-8 split across chunks decodes correctly (and a leading BOM is dropped).
 *
 * With a `limit`, an event (its text so far, every line of it, comments included, in characters)
 * longer than `limit.maxBytes` fails the stream with a `transient` ProviderError instead of growing
 * without end.
 *
 * An iterator object rather than a generator: the events of one network read are handed out as
 * resolved promises, without a generator's round trip each.
 */
export function parseSse(body: AsyncIterable<Uint8Array>, limit?: ResponseLimit): SseEvents {
  return new SseReader(body, limit);
}

class SseReader implements SseEvents {
  private readonly decoder = new Utf8Chunks();
  private readonly state: ParserState = {
    buffer: "",
    skipLineFeed: false,
    eventType: "",
    data: "",
    hasData: false,
    lastId: undefined,
    block: "",
  };
  private ready: SseEvent[] = [];
  private index = 0;
  private source: AsyncIterator<Uint8Array> | undefined;
  private ended = false;
  /** The read under way: a `next` asked meanwhile waits for it, as a generator's would. */
  private reading: Promise<void> | undefined;

  constructor(
    private readonly body: AsyncIterable<Uint8Array>,
    private readonly limit: ResponseLimit | undefined,
  ) {}

  next(): Promise<IteratorResult<SseEvent>> {
    if (this.index < this.ready.length) {
      return Promise.resolve({ done: false, value: this.ready[this.index++] as SseEvent });
    }
    return this.afterRead(() =>
      this.index < this.ready.length
        ? { done: false, value: this.ready[this.index++] as SseEvent }
        : { done: true, value: undefined },
    );
  }

  nextBatch(): Promise<readonly SseEvent[] | undefined> {
    if (this.index < this.ready.length) return Promise.resolve(this.take());
    return this.afterRead(() => (this.index < this.ready.length ? this.take() : undefined));
  }

  /** Every event ready, handed out. */
  private take(): SseEvent[] {
    const { ready, index } = this;
    this.ready = [];
    this.index = 0;
    return index === 0 ? ready : ready.slice(index);
  }

  /**
   * `hand` once the next network read gave events (or the body ended). A call made while a read is
   * under way waits for it, as a generator's would, and then looks again.
   */
  private afterRead<T>(hand: () => T): Promise<T> {
    if (this.reading !== undefined) {
      const again = (): Promise<T> =>
        this.index < this.ready.length || this.ended
          ? Promise.resolve(hand())
          : this.afterRead(hand);
      return this.reading.then(again, again);
    }
    const reading = this.read().finally(() => {
      this.reading = undefined;
    });
    this.reading = reading;
    return reading.then(hand);
  }

  async return(): Promise<IteratorResult<SseEvent>> {
    this.ended = true;
    this.ready = [];
    this.index = 0;
    const source = this.source;
    this.source = undefined;
    await source?.return?.();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): SseEvents {
    return this;
  }

  /** Reads the body until it gives at least one event, or ends. */
  private async read(): Promise<void> {
    this.ready = [];
    this.index = 0;
    while (!this.ended) {
      this.source ??= this.body[Symbol.asyncIterator]();
      let chunk: IteratorResult<Uint8Array>;
      try {
        chunk = await this.source.next();
      } catch (error) {
        this.ended = true;
        this.source = undefined;
        throw error;
      }
      if (chunk.done) {
        // Whatever is left in the buffer or the event fields is an unfinished event: dropped.
        this.ended = true;
        this.source = undefined;
        feed(this.state, this.decoder.end(), this.ready);
        return;
      }
      const text = this.decoder.decode(chunk.value);
      if (text === "") continue;
      feed(this.state, text, this.ready);
      const { limit, state } = this;
      // The block holds every finished line of the event (its data among them), the buffer the rest.
      if (limit !== undefined && state.buffer.length + state.block.length > limit.maxBytes) {
        this.ended = true;
        await this.closeSource();
        throw responseTooLargeError(limit, "stream event");
      }
      if (this.ready.length > 0) return;
    }
  }

  private async closeSource(): Promise<void> {
    const source = this.source;
    this.source = undefined;
    await source?.return?.();
  }
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
  /** The lines of the event block under way that came in earlier chunks, as they came. */
  block: string;
}

function feed(state: ParserState, text: string, ready: SseEvent[]): void {
  let input = text;
  if (state.skipLineFeed && input.length > 0) {
    if (input.charCodeAt(0) === 10) {
      input = input.slice(1);
      // The \n of a \r\n split across chunks: kept in the raw text of the block under way (after a
      // blank line's \r the event went out already, ending in that \r).
      if (state.block !== "") state.block += "\n";
    }
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
  /** Where the event block under way began in `source` (its earlier lines are in `state.block`). */
  let blockStart = 0;
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
    if (end === start) {
      // A blank line: the block ends here, dispatched as an event if it had data.
      if (state.hasData) dispatch(state, ready, state.block + source.slice(blockStart, next));
      else resetBlock(state);
      state.block = "";
      blockStart = next;
    } else {
      processLine(state, source.slice(start, end));
    }
    start = next;
    if (nextLf !== -1 && nextLf < start) nextLf = source.indexOf("\n", start);
    if (nextCr !== -1 && nextCr < start) nextCr = source.indexOf("\r", start);
  }
  if (blockStart < start) state.block += source.slice(blockStart, start);
  state.buffer = start === 0 ? source : source.slice(start);
}

function dispatch(state: ParserState, ready: SseEvent[], raw: string): void {
  ready.push({
    event: state.eventType === "" ? undefined : state.eventType,
    data: state.data,
    id: state.lastId,
    raw,
  });
  resetBlock(state);
}

function resetBlock(state: ParserState): void {
  state.eventType = "";
  state.data = "";
  state.hasData = false;
}

/** A line that is not blank: a field of the event block under way, or a comment. */
function processLine(state: ParserState, line: string): void {
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
