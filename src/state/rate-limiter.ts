import type { Clock } from "../engine/clock.js";
import { systemClock } from "../engine/clock.js";
import type { RedisConnection } from "./redis-connection.js";
import { RATE_SCRIPT } from "./redis-scripts.js";
import { encodeKeyPart } from "./state-keys.js";

/** The verdict on one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The limit applied (requests per window). */
  limit: number;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When refused: how long until a request would be let through. 0 when allowed. */
  retryAfterMs: number;
  /** `global` when counted in Redis across every instance, `local` when counted in this process. */
  scope: "global" | "local";
}

export interface RateLimiterOptions {
  /** Counts in Redis when given and reachable; in memory otherwise. */
  store?: RedisConnection;
  /** The clock of the in-memory fallback. */
  clock?: Clock;
  /** The sliding window. Default 60000 (limits are per minute). */
  windowMs?: number;
}

/**
 * Per-client request rate limits over a sliding window: global through Redis (a log of request
 * times per client, trimmed and counted in one Lua script, on the Redis server's clock), or, while
 * Redis is unreachable or not configured, per instance in memory. Refused requests are not counted.
 */
export class RateLimiter {
  private readonly windowMs: number;
  private readonly clock: Clock;
  private readonly logs = new Map<string, number[]>();

  constructor(private readonly options: RateLimiterOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Counts one request of `client` against `limit` requests per window. Never rejects. */
  async check(client: string, limit: number): Promise<RateLimitDecision> {
    const store = this.options.store;
    if (store?.available) {
      try {
        const key = `${store.keyPrefix}rate:${encodeKeyPart(client)}`;
        const reply = await store.run(RATE_SCRIPT, [key], [limit, this.windowMs, store.uniqueId()]);
        if (Array.isArray(reply)) {
          const [allowed, remaining, retryAfterMs] = reply.map(Number);
          return {
            allowed: allowed === 1,
            limit,
            remaining: remaining ?? 0,
            retryAfterMs: retryAfterMs ?? 0,
            scope: "global",
          };
        }
      } catch {
        // Redis failed: fall back to this instance's own count.
      }
    }
    return this.checkLocally(client, limit);
  }

  private checkLocally(client: string, limit: number): RateLimitDecision {
    const now = this.clock.now();
    const log = (this.logs.get(client) ?? []).filter((at) => at > now - this.windowMs);
    this.logs.set(client, log);
    if (log.length < limit) {
      log.push(now);
      return {
        allowed: true,
        limit,
        remaining: limit - log.length,
        retryAfterMs: 0,
        scope: "local",
      };
    }
    const freeingAt = log[log.length - limit] ?? now;
    const retryAfterMs = Math.max(1, Math.ceil(freeingAt + this.windowMs - now));
    return { allowed: false, limit, remaining: 0, retryAfterMs, scope: "local" };
  }
}
