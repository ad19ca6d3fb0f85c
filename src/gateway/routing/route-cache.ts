/**
 * A bounded least-recently-used map: `get` marks an entry used, `set` past `maxEntries` drops the
 * entry used longest ago and hands it to `onEvict`. (A `Map` keeps insertion order, so re-inserting
 * on use is all the bookkeeping; no dependency needed for this.)
 */
export class RouteCache<Value> {
  private readonly entries = new Map<string, Value>();

  constructor(
    readonly maxEntries: number,
    private readonly onEvict: (value: Value) => void,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer (got ${maxEntries})`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Value | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value without marking it used. */
  peek(key: string): Value | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      const evicted = this.entries.get(oldest) as Value;
      this.entries.delete(oldest);
      this.onEvict(evicted);
    }
  }

  values(): IterableIterator<Value> {
    return this.entries.values();
  }

  /** Empties the cache, returning what it held (nothing is passed to `onEvict`). */
  clear(): Value[] {
    const values = [...this.entries.values()];
    this.entries.clear();
    return values;
  }
}
