/** A cached result and when it was stored (clock milliseconds). */
export interface CacheEntry<Value> {
  value: Value;
  storedAtMs: number;
}

/** Where cached results live: in memory by default, Redis or anything else by plugging a store in. */
export interface CacheStore<Value = unknown> {
  get(key: string): Promise<CacheEntry<Value> | undefined>;
  /** `ttlMs` is how long the entry may be kept at all (fresh time plus stale-if-error time). */
  set(key: string, entry: CacheEntry<Value>, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface CacheOptions<Request> {
  /** How long a result is served fresh. */
  ttlMs: number;
  /** How much longer an expired result may still be served when every provider fails. Default 0. */
  staleIfErrorMs?: number;
  /** The cache key; defaults to `JSON.stringify(request)`. */
  key?: (request: Request) => string;
}

/**
 * A bounded in-memory LRU: a Map in insertion order, refreshed on read, oldest evicted first.
 * Expiry is by the clock the factory passes in.
 */
export class MemoryCacheStore<Value = unknown> implements CacheStore<Value> {
  private readonly entries = new Map<string, { entry: CacheEntry<Value>; expiresAtMs: number }>();

  constructor(
    private readonly maxEntries = 1000,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<CacheEntry<Value> | undefined> {
    const item = this.entries.get(key);
    if (!item) return undefined;
    this.entries.delete(key);
    if (item.expiresAtMs <= this.now()) return undefined;
    this.entries.set(key, item);
    return item.entry;
  }

  async set(key: string, entry: CacheEntry<Value>, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { entry, expiresAtMs: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
