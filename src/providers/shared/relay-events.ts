import { type ChatStreamPart, OUTPUT_PART_TYPES } from "../../llm/stream-part.js";
import { pendingEvents, type SseEvent } from "./parse-sse.js";

/** The most events relayed in one part: a long backlog goes on in several. */
const MAX_EVENTS_PER_PART = 64;

/**
 * Relays a stream's events as `wire-events` parts while the adapter's reader runs over them. Events
 * are held back until the reader reports the first output (text, reasoning or a tool call; not its
 * `response-metadata`, which an answer without output also sends before it finishes), so the commit point
 * stays where it is on the translated path: an error before it still fails over. After that, the
 * events read from the network together go out together, in one part: the held events are released
 * when the reader asks for an event that has to come from the network (`pendingEvents` is 0), so an
 * event is never held while the stream waits. The reader's `usage` and `finish` parts pass along for
 * accounting, after the events that came before them. When the reader fails, the events it had read
 * before the failing one are relayed, then the failure.
 */
export function relayEvents(
  events: AsyncIterable<SseEvent>,
  read: (events: AsyncIterable<SseEvent>) => AsyncIterable<ChatStreamPart>,
): AsyncIterableIterator<ChatStreamPart> {
  return new EventRelay(events[Symbol.asyncIterator](), read);
}

/**
 * `relayEvents` as an iterator driven from both ends: the consumer asks for parts, the reader asks
 * for events, and a part is handed over from whichever side has one (a batch, when the reader has to
 * wait for the network; a usage or finish part, when the reader yields one).
 */
class EventRelay implements AsyncIterableIterator<ChatStreamPart> {
  private held: SseEvent[] = [];
  /** How many held events the reader had read through when it last asked for more. */
  private processed = 0;
  private committed = false;
  private readonly ready: ChatStreamPart[] = [];
  private waiter:
    | {
        resolve: (result: IteratorResult<ChatStreamPart>) => void;
        reject: (error: unknown) => void;
      }
    | undefined;
  private pulling = false;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private readonly reader: AsyncIterator<ChatStreamPart>;

  constructor(
    source: AsyncIterator<SseEvent>,
    read: (events: AsyncIterable<SseEvent>) => AsyncIterable<ChatStreamPart>,
  ) {
    const hold = (result: IteratorResult<SseEvent>) => {
      if (!result.done) this.held.push(result.value);
      return result;
    };
    const tapped: AsyncIterableIterator<SseEvent> = {
      next: () => {
        // The reader is done with every event held: they are relayable once it committed, and
        // go out now if the next one has to come from the network.
        this.processed = this.held.length;
        if (
          this.committed &&
          this.processed > 0 &&
          (pendingEvents(source) === 0 || this.processed >= MAX_EVENTS_PER_PART)
        ) {
          this.emit(this.release(this.processed));
        }
        return source.next().then(hold);
      },
      return: async () => {
        await source.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    this.reader = read(tapped)[Symbol.asyncIterator]();
  }

  next(): Promise<IteratorResult<ChatStreamPart>> {
    const part = this.ready.shift();
    if (part !== undefined) return Promise.resolve({ done: false, value: part });
    if (this.failure !== undefined) {
      const { error } = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.pull();
    });
  }

  async return(): Promise<IteratorResult<ChatStreamPart>> {
    if (!this.ended) {
      this.ended = true;
      this.ready.length = 0;
      await this.reader.return?.();
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ChatStreamPart> {
    return this;
  }

  private pull(): void {
    if (this.pulling || this.ended) return;
    this.pulling = true;
    this.reader.next().then(
      (result) => this.onPart(result),
      (error: unknown) => this.onFailure(error),
    );
  }

  private onPart(result: IteratorResult<ChatStreamPart>): void {
    this.pulling = false;
    if (this.ended) return;
    if (result.done) {
      // The reader returned at the protocol's end event (relayed already, or held here).
      if (this.held.length > 0) this.emit(this.release(this.held.length));
      this.ended = true;
      this.settle({ done: true, value: undefined });
      return;
    }
    const part = result.value;
    if (OUTPUT_PART_TYPES.has(part.type)) this.committed = true;
    const accounting = part.type === "usage" || part.type === "finish";
    if (this.committed && this.held.length > 0) {
      if (accounting || this.held.length >= MAX_EVENTS_PER_PART) {
        this.emit(this.release(this.held.length));
      }
    }
    if (accounting) this.emit(part);
    if (this.waiter !== undefined) this.pull();
  }

  private onFailure(error: unknown): void {
    this.pulling = false;
    if (this.ended) return;
    this.ended = true;
    // What the reader read without failing still reaches the client, as it would one by one.
    if (this.committed && this.processed > 0) this.emit(this.release(this.processed));
    if (this.waiter !== undefined) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      reject(error);
    } else {
      this.failure = { error };
    }
  }

  private release(count: number): ChatStreamPart {
    const { held } = this;
    const events = count === held.length ? held : held.slice(0, count);
    this.held = count === held.length ? [] : held.slice(count);
    this.processed = 0;
    return { type: "wire-events", events };
  }

  private emit(part: ChatStreamPart): void {
    if (this.waiter === undefined) {
      this.ready.push(part);
      return;
    }
    const { resolve } = this.waiter;
    this.waiter = undefined;
    resolve({ done: false, value: part });
  }

  private settle(result: IteratorResult<ChatStreamPart>): void {
    if (this.ready.length > 0 || this.waiter === undefined) return;
    const { resolve } = this.waiter;
    this.waiter = undefined;
    resolve(result);
  }
}
