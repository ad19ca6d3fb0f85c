import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../test/support/redis-server.js";
import { FakeClock } from "../testing/fake-clock.js";
import { RateLimiter } from "./rate-limiter.js";
import { RedisStateStore } from "./redis-state-store.js";

describe("RateLimiter in memory", () => {
  it("lets `limit` requests through per sliding window and says when the next one may come", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ clock, windowMs: 60_000 });
    expect(await limiter.check("c", 2)).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      retryAfterMs: 0,
      scope: "local",
    });
    await clock.advance(10_000);
    expect((await limiter.check("c", 2)).allowed).toBe(true);
    expect(await limiter.check("c", 2)).toMatchObject({ allowed: false, retryAfterMs: 50_000 });
    expect((await limiter.check("other", 2)).allowed).toBe(true);
    await clock.advance(50_000);
    expect((await limiter.check("c", 2)).allowed).toBe(true);
    expect(await limiter.check("c", 2)).toMatchObject({ allowed: false, retryAfterMs: 10_000 });
  });

  it("a lowered limit waits until enough requests have left the window", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ clock, windowMs: 1000 });
    for (let i = 0; i < 3; i++) {
      await limiter.check("c", 3);
      await clock.advance(100);
    }
    expect(await limiter.check("c", 1)).toMatchObject({ allowed: false, retryAfterMs: 900 });
  });
});

describe("RateLimiter through Redis", () => {
  let server: RedisServer;
  const stores: RedisStateStore[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await server?.destroy();
  });

  it("holds one client's limit across instances", async () => {
    const limiters = Array.from({ length: 3 }, () => {
      const store = new RedisStateStore({ url: server.url, keyPrefix: "rate-test:" });
      stores.push(store);
      return { store, limiter: new RateLimiter({ store }) };
    });
    await expect.poll(() => limiters.every(({ store }) => store.available)).toBe(true);
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => limiters[i % 3]?.limiter.check("team", 5)),
    );
    const allowed = decisions.filter((decision) => decision?.allowed);
    expect(allowed).toHaveLength(5);
    expect(decisions.every((decision) => decision?.scope === "global")).toBe(true);
    const refused = decisions.find((decision) => decision && !decision.allowed);
    expect(refused?.retryAfterMs).toBeGreaterThan(50_000);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await limiters[0]?.limiter.check("someone-else", 5))?.allowed).toBe(true);
  });
});
