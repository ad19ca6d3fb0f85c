import type { Clock, TimerHandle } from "../../engine/clock.js";
import type { SqlKeyStore } from "../../store/key-store.js";
import type { RuntimeKeys } from "./runtime-keys.js";

/** The pub/sub link that tells every instance at once that keys changed (`state.redis`). */
export interface KeyChangeLink {
  listen(namespace: string, listener: (message: object) => void): void;
  broadcast(namespace: string, message: Record<string, unknown>): void;
}

export interface KeySyncOptions {
  store: Pick<SqlKeyStore, "changeStamp" | "listKeys" | "listTeams" | "touchKeys">;
  keys: RuntimeKeys;
  clock: Clock;
  /** How often the database is asked whether keys changed. */
  pollIntervalMs: number;
  /** Pub/sub across instances, when Redis is configured. */
  link?: KeyChangeLink;
  /** Told after each successful read (changed or not); must not throw. */
  onLoad?: () => void;
  /** Told when the database cannot be read (the keys held are kept meanwhile); must not throw. */
  onError?: (error: unknown) => void;
}

const NAMESPACE = "keys";

/**
 * Keeps this instance's copy of the runtime keys current: a change made here is loaded at once and
 * announced over Redis (every instance reloads on the message); underneath, the database is polled
 * for a change stamp every `pollIntervalMs` (a cheap count and sum), reloading only when it moved,
 * so a lost message or an instance without Redis is at most one interval behind.
 */
export class KeySync {
  private stamp: string | undefined;
  private running: Promise<void> | undefined;
  private pending: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private closed = false;
  /** Resolves after the first load (or the first failed attempt). */
  readonly ready: Promise<void>;

  constructor(private readonly options: KeySyncOptions) {
    options.link?.listen(NAMESPACE, () => {
      void this.refresh(true);
    });
    this.ready = this.refresh(true);
    this.schedule();
  }

  /** After a change made on this instance: reload now and tell the others. */
  async changed(): Promise<void> {
    await this.refresh(true);
    this.options.link?.broadcast(NAMESPACE, { changed: true });
  }

  /**
   * Reads the tables again (only when the stamp moved, unless `force`). Never rejects. Asked while a
   * read runs, it resolves after one more read that starts once that one is done, so a change
   * made before the call is always seen.
   */
  refresh(force = false): Promise<void> {
    if (this.running) {
      this.pending ??= this.running.then(() => {
        this.pending = undefined;
        return this.refresh(true);
      });
      return this.pending;
    }
    if (force) this.stamp = undefined;
    this.running = this.load().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    const { store, keys } = this.options;
    try {
      await store.touchKeys(keys.takeUsed());
      const stamp = await store.changeStamp();
      if (stamp !== this.stamp) {
        const [keyRows, teamRows] = await Promise.all([store.listKeys(), store.listTeams()]);
        keys.load(keyRows, teamRows);
        this.stamp = stamp;
      }
      this.options.onLoad?.();
    } catch (error) {
      try {
        this.options.onError?.(error);
      } catch {
        // A listener's fault must not stop the sync.
      }
    }
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.options.clock.setTimeout(
      () => {
        void this.refresh().then(() => this.schedule());
      },
      this.options.pollIntervalMs,
      true,
    );
  }
}
