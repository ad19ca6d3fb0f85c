import type { Clock } from "../engine/clock.js";

/**
 * One stored Responses API response: the response object, this turn's input items, and the
 * conversation before them (the items of the responses it continued), so `previous_response_id`
 * needs one read. JSON values as the client protocol spells them.
 */
export interface StoredResponse {
  id: string;
  /** Who may read it: a runtime key's id or a config client's name ("" without client keys). */
  owner: string;
  createdAtMs: number;
  expiresAtMs: number;
  response: Record<string, unknown>;
  inputItems: Record<string, unknown>[];
  /** The items before this turn's input: earlier inputs and outputs, oldest first. */
  history: Record<string, unknown>[];
}

/** What a caller hands to `put`: the store dates it by its own clock. */
export type NewStoredResponse = Omit<StoredResponse, "createdAtMs" | "expiresAtMs">;

/** Where stored responses live: a database, Redis, or this process's memory. */
export interface ResponseStore {
  readonly kind: "memory" | "redis" | "sqlite" | "postgres";
  /**
   * Keeps `record` for `ttlMs` from now (the store's clock). Resolves once the response is readable
   * by every instance that shares this store.
   */
  put(record: NewStoredResponse, ttlMs: number): Promise<void>;
  /** The response, when it exists, has not expired and belongs to `owner`. */
  get(id: string, owner: string): Promise<StoredResponse | undefined>;
  /** Deletes it; false when there was nothing of `owner`'s to delete. */
  delete(id: string, owner: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Stored responses in this process, the oldest dropped past `maxEntries`. */
export class MemoryResponseStore implements ResponseStore {
  readonly kind = "memory";
  private readonly entries = new Map<string, StoredResponse>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async put(record: NewStoredResponse, ttlMs: number): Promise<void> {
    this.entries.delete(record.id);
    this.entries.set(record.id, dated(record, this.clock.now(), ttlMs));
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  async get(id: string, owner: string): Promise<StoredResponse | undefined> {
    const record = this.entries.get(id);
    if (!record || record.owner !== owner) return undefined;
    if (record.expiresAtMs <= this.clock.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return record;
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const record = await this.get(id, owner);
    if (!record) return false;
    return this.entries.delete(id);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

/** A stored record read back from text, or undefined when it is not one. */
export function parseStoredResponse(text: string): StoredResponse | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return undefined;
    const record = value as Partial<StoredResponse>;
    if (typeof record.id !== "string" || typeof record.owner !== "string") return undefined;
    if (typeof record.expiresAtMs !== "number" || !Array.isArray(record.inputItems)) {
      return undefined;
    }
    return record as StoredResponse;
  } catch {
    return undefined;
  }
}

/** The record with its creation and expiry times. */
export function dated(record: NewStoredResponse, nowMs: number, ttlMs: number): StoredResponse {
  return { ...record, createdAtMs: nowMs, expiresAtMs: nowMs + ttlMs };
}
