import type { Redis } from "ioredis";
import type { Clock } from "../engine/clock.js";
import {
  dated,
  type NewStoredResponse,
  parseStoredResponse,
  type ResponseStore,
  type StoredResponse,
} from "./response-store.js";

/** What this needs of the shared Redis link (the state store's `RedisStateStore` is one). */
export interface RedisKeyValueLink {
  readonly clock: Clock;
  namespacePrefix(namespace: string): string;
  /** Runs a command; undefined while Redis is unreachable or when the command fails. */
  attempt<T>(command: (client: Redis) => Promise<T>): Promise<T | undefined>;
}

/**
 * Stored Responses API responses in Redis, shared by every instance: one key per response
 * (`<prefix>responses:<id>`) holding the record as JSON, expiring with it. `put` rejects while Redis
 * is unreachable, so the caller knows the response cannot be continued elsewhere.
 */
export class RedisResponseStore implements ResponseStore {
  readonly kind = "redis";
  private readonly prefix: string;

  constructor(private readonly store: RedisKeyValueLink) {
    this.prefix = `${store.namespacePrefix("responses")}`;
  }

  async put(record: NewStoredResponse, ttlMs: number): Promise<void> {
    const px = Math.max(1, Math.ceil(ttlMs));
    const text = JSON.stringify(dated(record, this.store.clock.now(), ttlMs));
    const answer = await this.store.attempt((client) =>
      client.set(this.key(record.id), text, "PX", px),
    );
    if (answer !== "OK") throw new Error("the response could not be stored: Redis is unreachable");
  }

  async get(id: string, owner: string): Promise<StoredResponse | undefined> {
    const text = await this.store.attempt((client) => client.get(this.key(id)));
    if (typeof text !== "string") return undefined;
    const record = parseStoredResponse(text);
    return record && record.owner === owner ? record : undefined;
  }

  async delete(id: string, owner: string): Promise<boolean> {
    if (!(await this.get(id, owner))) return false;
    const removed = await this.store.attempt((client) => client.del(this.key(id)));
    return removed === 1;
  }

  async close(): Promise<void> {}

  private key(id: string): string {
    return this.prefix + id;
  }
}
