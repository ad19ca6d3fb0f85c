import { createHash, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { Redis } from "ioredis";
import type { CacheStore } from "../engine/cache-store.js";
import type { Clock } from "../engine/clock.js";
import { systemClock } from "../engine/clock.js";
import { RedisCacheStore } from "./redis-cache-store.js";
import type { RedisConnection } from "./redis-connection.js";
import { RENEW_SCRIPT } from "./redis-scripts.js";
import { RedisSharedState } from "./redis-shared-state.js";
import { encodeKeyPart } from "./state-keys.js";

/** Where the store reports connection changes (pino-compatible). */
export interface StateLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface RedisStateStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...`. */
  url: string;
  /** Prefix of every key and of the event channel: one per gateway cluster. Default `switchyard:`. */
  keyPrefix?: string;
  /** The engines' clock (shared events carry durations, turned into times on this clock). */
  clock?: Clock;
  logger?: StateLogger;
  /** A command not answered within this fails (the engine then goes on locally). Default 300. */
  commandTimeoutMs?: number;
  /** Giving up on one connection attempt. Default 1000. */
  connectTimeoutMs?: number;
  /** Longest wait between reconnection attempts. Default 1000. */
  maxReconnectDelayMs?: number;
  /** How long a concurrency lease lives unless renewed (a crashed instance's lapse). Default 30000. */
  leaseMs?: number;
  /** How long a failure count is kept without new failures. Default 600000. */
  failureTtlMs?: number;
}

/** What `/readyz` and metrics show of the store. */
export interface StateStoreHealth {
  /** Both connections up and the shared state loaded: decisions are shared. */
  connected: boolean;
  /** Commands that failed (timeouts, errors, connection loss) since start. */
  commandErrors: number;
  /** Connection errors reported by the client since start. */
  connectionErrors: number;
  /** Times the store (re)joined after being unreachable, the first connection included. */
  joins: number;
  lastError: string | undefined;
}

const NOT_CONNECTED = "the state store is not connected";

/**
 * ioredis, loaded when a store is constructed rather than imported: a gateway without `state.redis`
 * never pays its memory (~17 MB).
 */
const loadRedis = (): typeof Redis =>
  (createRequire(import.meta.url)("ioredis") as { Redis: typeof Redis }).Redis;

/**
 * One gateway's link to Redis: a command connection and a subscriber connection, the event channel,
 * the namespaced views (shared state and cache per model engine), and lease renewal. While Redis is
 * unreachable every call fails fast (no offline queue, short timeouts) and the views report
 * `available: false`; the clients reconnect on their own, and on rejoining each view reloads the
 * shared state.
 */
export class RedisStateStore implements RedisConnection {
  readonly keyPrefix: string;
  readonly channel: string;
  readonly clock: Clock;
  readonly leaseMs: number;
  readonly failureTtlMs: number;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly views = new Map<string, RedisSharedState>();
  private readonly listeners = new Map<string, (message: object) => void>();
  private readonly leases = new Map<string, Set<string>>();
  private readonly scriptHashes = new Map<string, string>();
  private readonly instanceId = randomUUID().slice(0, 8);
  private readonly renewTimer: ReturnType<typeof setInterval>;
  private sequence = 0;
  private commandsReady = false;
  private subscribed = false;
  private joined = false;
  private closed = false;
  private counts = { commandErrors: 0, connectionErrors: 0, joins: 0 };
  private lastError: string | undefined;

  constructor(private readonly options: RedisStateStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? "switchyard:";
    this.channel = `${this.keyPrefix}events`;
    this.clock = options.clock ?? systemClock;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.failureTtlMs = options.failureTtlMs ?? 600_000;
    const maxDelayMs = options.maxReconnectDelayMs ?? 1000;
    const connection = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 300,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 10), maxDelayMs),
      autoResubscribe: false,
    };
    const Client = loadRedis();
    this.commands = new Client(options.url, { ...connection, connectionName: "switchyard" });
    this.subscriber = new Client(options.url, {
      ...connection,
      connectionName: "switchyard-events",
    });
    this.watch(this.commands, () => {
      this.commandsReady = true;
      this.join();
    });
    this.watch(this.subscriber, () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.subscribed = true;
          this.join();
        },
        (error: unknown) => this.failed(error),
      );
    });
    this.subscriber.on("message", (_channel: string, message: string) => this.dispatch(message));
    this.renewTimer = setInterval(() => this.renewLeases(), Math.max(100, this.leaseMs / 3));
    this.renewTimer.unref();
  }

  /** Whether decisions are shared now. */
  get available(): boolean {
    return this.joined && !this.closed;
  }

  health(): StateStoreHealth {
    return { connected: this.available, ...this.counts, lastError: this.lastError };
  }

  /** The shared state of one namespace (one model's engine); the same object for the same name. */
  view(namespace: string): RedisSharedState {
    let view = this.views.get(namespace);
    if (!view) {
      view = new RedisSharedState(this, namespace);
      this.views.set(namespace, view);
    }
    return view;
  }

  /**
   * Calls `listener` with every message published under `namespace` (see `broadcast`), and with
   * `{ ns, rejoined: true }` each time the store rejoins after Redis was unreachable (messages sent
   * meanwhile are lost: the listener reloads what it keeps).
   */
  listen(namespace: string, listener: (message: object) => void): void {
    this.listeners.set(namespace, listener);
  }

  /** Publishes `message` under `namespace` to every instance, this one included. Never rejects. */
  broadcast(namespace: string, message: Record<string, unknown>): void {
    const text = JSON.stringify({ ...message, ns: namespace });
    this.fire((client) => client.publish(this.channel, text));
  }

  /** A response cache in Redis for one namespace, values serialised as JSON. */
  cacheStore<Value = unknown>(namespace: string): CacheStore<Value> {
    return new RedisCacheStore<Value>(this, namespace);
  }

  /** The key prefix of a namespace: `<keyPrefix><encoded namespace>:`. */
  namespacePrefix(namespace: string): string {
    return `${this.keyPrefix}${encodeKeyPart(namespace)}:`;
  }

  /** A unique member name (leases, rate-limit log entries). */
  uniqueId(): string {
    this.sequence += 1;
    return `${this.instanceId}:${this.sequence}`;
  }

  /** Runs a Lua script (by hash, loading it when Redis does not know it). Rejects when offline. */
  async run(script: string, keys: readonly string[], args: readonly (string | number)[]) {
    if (!this.available) throw new Error(NOT_CONNECTED);
    let sha = this.scriptHashes.get(script);
    if (!sha) {
      sha = createHash("sha1").update(script).digest("hex");
      this.scriptHashes.set(script, sha);
    }
    try {
      return await this.commands.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("NOSCRIPT")) {
        return await this.counted(this.commands.eval(script, keys.length, ...keys, ...args));
      }
      this.failed(error);
      throw error;
    }
  }

  /** Runs a command when connected; undefined (and counted) when offline or failing. */
  async attempt<T>(command: (client: Redis) => Promise<T>): Promise<T | undefined> {
    if (!this.available) return undefined;
    try {
      return await command(this.commands);
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  /** Runs a command for its effect only: never rejects. */
  fire(command: (client: Redis) => Promise<unknown>): void {
    void this.attempt(command);
  }

  /** Remembers a lease this instance holds, to renew it until released. */
  holdLease(key: string, id: string): void {
    let held = this.leases.get(key);
    if (!held) {
      held = new Set();
      this.leases.set(key, held);
    }
    held.add(id);
  }

  releaseLease(key: string, id: string): void {
    const held = this.leases.get(key);
    held?.delete(id);
    if (held?.size === 0) this.leases.delete(key);
    this.fire((client) => client.zrem(key, id));
  }

  /** Closes both connections; the views then stay unavailable. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.joined = false;
    clearInterval(this.renewTimer);
    await Promise.all(
      [this.commands, this.subscriber].map(async (connection) => {
        const timeout = new Promise((resolve) => setTimeout(resolve, 500).unref());
        await Promise.race([connection.quit().catch(() => undefined), timeout]);
        connection.disconnect();
      }),
    );
  }

  private watch(connection: Redis, onReady: () => void): void {
    connection.on("ready", onReady);
    connection.on("error", (error: unknown) => {
      this.counts.connectionErrors += 1;
      this.lastError = describe(error);
    });
    connection.on("close", () => {
      if (connection === this.commands) this.commandsReady = false;
      else this.subscribed = false;
      this.leave();
    });
  }

  /** Both connections are up: load every view's shared state, then share decisions. */
  private join(): void {
    if (!this.commandsReady || !this.subscribed || this.joined || this.closed) return;
    this.joined = true;
    this.counts.joins += 1;
    this.options.logger?.info(
      { stateStore: "redis", joins: this.counts.joins },
      "state store connected: circuits, cooldowns and concurrency are shared",
    );
    for (const view of this.views.values()) void view.load();
    for (const [namespace, listener] of this.listeners) listener({ ns: namespace, rejoined: true });
  }

  private leave(): void {
    if (!this.joined) return;
    this.joined = false;
    if (this.closed) return;
    this.options.logger?.warn(
      { stateStore: "redis", lastError: this.lastError },
      "state store unreachable: running on local state until it returns",
    );
  }

  private dispatch(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== "object" || message === null || !("ns" in message)) return;
    const namespace = message.ns;
    if (typeof namespace !== "string") return;
    this.views.get(namespace)?.receive(message);
    this.listeners.get(namespace)?.(message);
  }

  private renewLeases(): void {
    for (const [key, ids] of this.leases) {
      if (ids.size === 0) continue;
      this.run(RENEW_SCRIPT, [key], [this.leaseMs, ...ids]).catch(() => undefined);
    }
  }

  private async counted<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  private failed(error: unknown): void {
    this.counts.commandErrors += 1;
    this.lastError = describe(error);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
