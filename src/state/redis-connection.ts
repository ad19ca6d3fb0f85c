import type { Redis } from "ioredis";
import type { Clock } from "../engine/clock.js";

/**
 * What the Redis-backed views (shared state, cache, affinity, rate limits) need of the one Redis link
 * they share: `RedisStateStore` implements it and hands itself to each view it makes.
 */
export interface RedisConnection {
  /** Whether decisions are shared now. */
  readonly available: boolean;
  /** The prefix of every key this gateway writes. */
  readonly keyPrefix: string;
  /** The pub/sub channel every instance listens on. */
  readonly channel: string;
  readonly clock: Clock;
  /** How long a concurrency lease lives unless renewed. */
  readonly leaseMs: number;
  /** How long a provider's shared failure count lives. */
  readonly failureTtlMs: number;
  /** The key prefix of a namespace: `<keyPrefix><encoded namespace>:`. */
  namespacePrefix(namespace: string): string;
  /** A unique member name (leases, rate-limit log entries). */
  uniqueId(): string;
  /** Runs a Lua script. Rejects when offline. */
  run(
    script: string,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown>;
  /** Runs a command when connected; undefined when offline or failing. */
  attempt<T>(command: (client: Redis) => Promise<T>): Promise<T | undefined>;
  /** Runs a command for its effect only: never rejects. */
  fire(command: (client: Redis) => Promise<unknown>): void;
  /** Remembers a lease this instance holds, to renew it until released. */
  holdLease(key: string, id: string): void;
  releaseLease(key: string, id: string): void;
}

/** The part of the connection a key-value view (cache, affinity) uses. */
export type RedisKeyValueConnection = Pick<RedisConnection, "namespacePrefix" | "attempt">;
