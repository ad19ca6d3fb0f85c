import type { CallReport } from "../../engine/call.js";

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

/**
 * Cache affinity: a client keeps calling a model through the same target (provider key) for a while,
 * so the vendor's prompt cache keeps hitting. The remembered target goes first; any failure of it
 * drops the affinity, and whoever serves next becomes the new one.
 */
export class Affinity {
  constructor(
    private readonly store: AffinityStore,
    private readonly ttlMs: number,
  ) {}

  static key(client: string, model: string): string {
    return `${client}\u0000${model}`;
  }

  /** The preferred target, if any; a store failure just means no preference. */
  async preferred(key: string): Promise<string | undefined> {
    return this.store.get(key).catch(() => undefined);
  }

  /** Learns from a finished call: keep, move or drop the affinity. Never throws. */
  async learn(
    key: string,
    preferred: string | undefined,
    report: CallReport | undefined,
  ): Promise<void> {
    const served = report?.provider;
    const preferredFailed =
      preferred !== undefined &&
      (report === undefined ||
        report.attempts.some(
          (attempt) => attempt.provider === preferred && attempt.outcome !== "success",
        ));
    try {
      if (served) {
        if (served !== preferred || preferredFailed) await this.store.set(key, served, this.ttlMs);
      } else if (preferredFailed) {
        await this.store.delete(key);
      }
    } catch {
      // Affinity is an optimisation: losing it costs a cache miss, never a request.
    }
  }
}
