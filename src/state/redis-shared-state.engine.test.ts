import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../test/support/redis-server.js";
import { ProviderFactory } from "../engine/provider-factory.js";
import { ProviderError } from "../errors/provider-error.js";
import { FakeClock } from "../testing/fake-clock.js";
import { createScriptedProvider } from "../testing/scripted-provider.js";
import { RedisStateStore } from "./redis-state-store.js";

let server: RedisServer;
const stores: RedisStateStore[] = [];
let cluster = 0;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await server?.destroy();
});

/** Engines as separate gateway instances would hold them: one store (connection pair) each. */
async function engines(count: number) {
  cluster += 1;
  const clock = new FakeClock();
  const made = Array.from({ length: count }, () => {
    const store = new RedisStateStore({ url: server.url, keyPrefix: `engine${cluster}:`, clock });
    stores.push(store);
    return {
      store,
      factory: new ProviderFactory<string, string>({
        clock,
        sharedState: store.view("m"),
        failureThreshold: 3,
        recoveryTimeoutMs: 10_000,
        retry: { maxAttempts: 1 },
        retryBudget: false,
      }),
    };
  });
  await expect.poll(() => made.every(({ store }) => store.available)).toBe(true);
  return { clock, engines: made };
}

const outage = { error: new ProviderError("down", { kind: "transient", status: 503 }) };

describe("ProviderFactory with RedisSharedState", () => {
  it("failures seen through one engine open the circuit in every engine", async () => {
    const { clock, engines: all } = await engines(3);
    for (const { factory } of all) {
      factory.register("p", createScriptedProvider<string, string>(clock, outage));
    }
    const [a, b, c] = all.map(({ factory }) => factory);
    await a?.generate("q").catch(() => undefined);
    await b?.generate("q").catch(() => undefined);
    await a?.generate("q").catch(() => undefined);
    await expect
      .poll(() => all.every(({ factory }) => factory.getStatus().p === "open"))
      .toBe(true);
    await expect(c?.generate("q")).rejects.toThrow(/circuit|open|unavailable/i);
  });

  it("holds a concurrency limit across engines", async () => {
    const { clock, engines: all } = await engines(2);
    const upstreams = all.map(({ factory }) => {
      const upstream = createScriptedProvider<string, string>(clock, {
        result: "ok",
        delayMs: 100,
      });
      factory.register("p", upstream, { maxConcurrency: 2, queueTimeoutMs: 0 });
      return upstream;
    });
    const calls = all.flatMap(({ factory }) => [factory.generate("q"), factory.generate("q")]);
    const outcomes = Promise.allSettled(calls);
    await expect.poll(() => upstreams.reduce((sum, u) => sum + u.calls, 0) === 2).toBe(true);
    await clock.advance(100);
    const results = await outcomes;
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(upstreams.reduce((sum, u) => sum + u.calls, 0)).toBe(2);
  });
});
