import type { ObservedEndpoint } from "./request-observer.js";

/** What the live feed reports. */
export type FeedEventType = "fallback" | "circuit" | "cooldown" | "health" | "exhausted";

/** One notable thing an engine did, as the dashboard's live feed shows it. */
export interface FeedEvent {
  /** Increasing from 1; an SSE client resumes after the last one it saw (`Last-Event-ID`). */
  id: number;
  /** Epoch milliseconds. */
  at: number;
  type: FeedEventType;
  endpoint: ObservedEndpoint;
  model: string;
  /** The target concerned (`provider/model`, `provider#key/model`). */
  target?: string;
  /** Fallbacks: where the call went next. */
  to?: string;
  /** Fallbacks: the failure's kind; cooldowns: what the target cools down from. */
  reason?: string;
  /** Circuits: the state left and the state entered. */
  from?: string;
  state?: string;
  /** Cooldowns: how long. */
  durationMs?: number;
  /** Health: the new verdict. */
  healthy?: boolean;
  /** One line for people, without any upstream message. */
  message: string;
}

export type FeedListener = (event: FeedEvent) => void;

/** The last `capacity` engine events, and whoever listens for new ones. */
export class EventFeed {
  private readonly events: FeedEvent[] = [];
  private readonly listeners = new Set<FeedListener>();
  private nextId = 1;

  constructor(private readonly capacity = 200) {}

  publish(event: Omit<FeedEvent, "id">): FeedEvent {
    const published = { ...event, id: this.nextId++ };
    this.events.push(published);
    if (this.events.length > this.capacity) this.events.shift();
    for (const listener of this.listeners) {
      try {
        listener(published);
      } catch {
        // A listener's fault stays its own.
      }
    }
    return published;
  }

  /** Events kept with an id above `afterId`, oldest first. */
  since(afterId = 0): FeedEvent[] {
    return this.events.filter((event) => event.id > afterId);
  }

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
