/** Where affinities live: in memory by default, in Redis when instances share state. */
export interface AffinityStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, target: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A bounded in-memory affinity store (oldest entries evicted first). */
export class MemoryAffinityStore implements AffinityStore {
  private readonly entries = new Map<string, { target: string; expiresAtMs: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.target;
  }

  async set(key: string, target: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { target, expiresAtMs: this.now() + ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
