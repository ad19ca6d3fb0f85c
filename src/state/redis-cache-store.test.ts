import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../test/support/redis-server.js";
import { ProviderFactory } from "../engine/provider-factory.js";
import { FakeClock } from "../testing/fake-clock.js";
import { createScriptedProvider } from "../testing/scripted-provider.js";
import { RedisStateStore } from "./redis-state-store.js";

describe("RedisCacheStore", () => {
  let server: RedisServer;
  let redis: Redis;
  const stores: RedisStateStore[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    redis?.disconnect();
    await server?.destroy();
  });

  async function connected(count: number) {
    const made = Array.from({ length: count }, () => {
      const store = new RedisStateStore({ url: server.url, keyPrefix: "cache-test:" });
      stores.push(store);
      return store;
    });
    await expect.poll(() => made.every((store) => store.available)).toBe(true);
    return made;
  }

  it("stores entries as JSON with the TTL the engine gives, shared between instances", async () => {
    const [a, b] = await connected(2);
    const one = a?.cacheStore<{ text: string }>("m");
    const two = b?.cacheStore<{ text: string }>("m");
    await one?.set("request-1", { value: { text: "hi" }, storedAtMs: 123 }, 5000);
    expect(await two?.get("request-1")).toEqual({ value: { text: "hi" }, storedAtMs: 123 });
    expect(await b?.cacheStore("other-model").get("request-1")).toBeUndefined();
    const [key] = await redis.keys("cache-test:m:cache:*");
    expect(key).toMatch(/^cache-test:m:cache:[0-9a-f]{64}$/);
    const ttl = await redis.pttl(key ?? "");
    expect(ttl).toBeGreaterThan(4000);
    expect(ttl).toBeLessThanOrEqual(5000);
    await two?.delete("request-1");
    expect(await one?.get("request-1")).toBeUndefined();
  });

  it("serves one engine's cached result to another engine", async () => {
    const [a, b] = await connected(2);
    const clock = new FakeClock();
    const engines = [a, b].map((store) => {
      const factory = new ProviderFactory<string, string>({
        clock,
        cacheStore: store?.cacheStore<string>("shared-cache"),
      });
      const upstream = createScriptedProvider<string, string>(clock, { result: "answer" });
      factory.register("p", upstream);
      return { factory, upstream };
    });
    const cache = { ttlMs: 60_000 };
    expect(await engines[0]?.factory.generate("q", { cache })).toBe("answer");
    const second = await engines[1]?.factory.generateWithReport("q", { cache });
    expect(second?.result).toBe("answer");
    expect(second?.report.cached).toBe(true);
    expect(engines[1]?.upstream.calls).toBe(0);
  });
});
