import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../test/support/redis-server.js";
import type { SharedEvent } from "../engine/shared-state.js";
import { FakeClock } from "../testing/fake-clock.js";
import { reserveClosedPort } from "../testing/reserve-closed-port.js";
import { RateLimiter } from "./rate-limiter.js";
import { RedisStateStore } from "./redis-state-store.js";

let server: RedisServer;
const stores: RedisStateStore[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

afterAll(async () => {
  await server?.destroy();
});

function store(url: string, keyPrefix = "store-test:"): RedisStateStore {
  const made = new RedisStateStore({ url, keyPrefix, clock: new FakeClock() });
  stores.push(made);
  return made;
}

/** Resolves with the value, or rejects if it takes longer than `ms` (to check "at once"). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms),
    ),
  ]);
}

describe("RedisStateStore while Redis is unreachable", () => {
  it("reports unavailable, and every call resolves at once without throwing", async () => {
    const offline = store(`redis://127.0.0.1:${await reserveClosedPort()}`);
    await expect.poll(() => offline.health().connectionErrors > 0).toBe(true);
    const view = offline.view("m");
    expect(view.available).toBe(false);
    expect(offline.health()).toMatchObject({ connected: false });
    expect(offline.health().lastError).toMatch(/ECONNREFUSED/);
    expect(() =>
      view.publish({ type: "failure", targetId: "p", failureThreshold: 1, openMs: 1000 }),
    ).not.toThrow();
    expect(await within(view.acquireSlot("p", 1), 100)).toBe("unavailable");
    const cache = offline.cacheStore("m");
    expect(await within(cache.get("k"), 100)).toBeUndefined();
    await within(cache.set("k", { value: 1, storedAtMs: 0 }, 1000), 100);
    const decision = await within(new RateLimiter({ store: offline }).check("c", 1), 100);
    expect(decision).toMatchObject({ allowed: true, scope: "local" });
  });
});

describe("RedisStateStore across a Redis restart", () => {
  it("goes local while Redis is down, then reconnects and shares decisions again", async () => {
    const a = store(server.url);
    const b = store(server.url);
    const heard: SharedEvent[] = [];
    b.view("m").subscribe((event) => heard.push(event));
    await expect.poll(() => a.available && b.available).toBe(true);
    expect(a.health().joins).toBe(1);

    await server.stop();
    await expect
      .poll(() => !a.available && !b.available, { message: "both to notice Redis is gone" })
      .toBe(true);
    expect(await a.view("m").acquireSlot("p", 1)).toBe("unavailable");

    await server.start();
    await expect
      .poll(() => a.available && b.available, {
        message: "both to rejoin",
        timeout: 10_000,
      })
      .toBe(true);
    expect(a.health()).toMatchObject({ connected: true, joins: 2 });
    a.view("m").publish({ type: "failure", targetId: "p", failureThreshold: 1, openMs: 1000 });
    // b's subscriber connection may rejoin a little after its command connection: wait for the
    // decision itself rather than for an exact count of events.
    await expect
      .poll(
        () => heard.some((event) => event.type === "circuit-opened" && event.targetId === "p"),
        {
          message: "b to hear the shared decision",
          timeout: 10_000,
        },
      )
      .toBe(true);
    expect(typeof (await a.view("m").acquireSlot("p", 1))).toBe("object");
  });

  it("close() disconnects for good", async () => {
    const a = store(server.url);
    await expect.poll(() => a.available).toBe(true);
    await a.close();
    expect(a.available).toBe(false);
    expect(await a.view("m").acquireSlot("p", 1)).toBe("unavailable");
  });
});
