import type { AffinityStore } from "./affinity-store.js";
import type { RedisKeyValueConnection } from "./redis-connection.js";

/** Cache affinity kept in Redis, so every instance sends a client's model to the same target. */
export class RedisAffinityStore implements AffinityStore {
  private readonly prefix: string;

  constructor(
    private readonly store: RedisKeyValueConnection,
    namespace: string,
  ) {
    this.prefix = `${store.namespacePrefix(namespace)}affinity:`;
  }

  async get(key: string): Promise<string | undefined> {
    const target = await this.store.attempt((client) => client.get(this.prefix + key));
    return typeof target === "string" ? target : undefined;
  }

  async set(key: string, target: string, ttlMs: number): Promise<void> {
    const px = Math.max(1, Math.ceil(ttlMs));
    await this.store.attempt((client) => client.set(this.prefix + key, target, "PX", px));
  }

  async delete(key: string): Promise<void> {
    await this.store.attempt((client) => client.del(this.prefix + key));
  }
}
