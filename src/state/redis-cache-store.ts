import { createHash } from "node:crypto";
import type { CacheEntry, CacheStore } from "../engine/cache-store.js";
import type { RedisKeyValueConnection } from "./redis-connection.js";

/**
 * The engine's response cache in Redis, shared by every instance: one key per entry
 * (`<namespace prefix>cache:<sha256 of the cache key>`), the entry as JSON, expiring after the TTL
 * the engine gives. While Redis is unreachable, reads miss and writes are dropped.
 */
export class RedisCacheStore<Value = unknown> implements CacheStore<Value> {
  private readonly prefix: string;

  constructor(
    private readonly store: RedisKeyValueConnection,
    namespace: string,
  ) {
    this.prefix = `${store.namespacePrefix(namespace)}cache:`;
  }

  async get(key: string): Promise<CacheEntry<Value> | undefined> {
    const text = await this.store.attempt((client) => client.get(this.key(key)));
    if (typeof text !== "string") return undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null) return undefined;
      if (!("storedAtMs" in parsed) || typeof parsed.storedAtMs !== "number") return undefined;
      if (!("value" in parsed)) return undefined;
      return { value: parsed.value as Value, storedAtMs: parsed.storedAtMs };
    } catch {
      return undefined;
    }
  }

  async set(key: string, entry: CacheEntry<Value>, ttlMs: number): Promise<void> {
    let text: string;
    try {
      text = JSON.stringify({ value: entry.value, storedAtMs: entry.storedAtMs });
    } catch {
      return;
    }
    const px = Math.max(1, Math.ceil(ttlMs));
    await this.store.attempt((client) => client.set(this.key(key), text, "PX", px));
  }

  async delete(key: string): Promise<void> {
    await this.store.attempt((client) => client.del(this.key(key)));
  }

  private key(key: string): string {
    return this.prefix + createHash("sha256").update(key).digest("hex");
  }
}
