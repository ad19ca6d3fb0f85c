import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../test/support/redis-server.js";
import type { SharedEvent } from "../engine/shared-state.js";
import { FakeClock } from "../testing/fake-clock.js";
import type { RedisSharedState } from "./redis-shared-state.js";
import { RedisStateStore } from "./redis-state-store.js";

let server: RedisServer;
let redis: Redis;
const stores: RedisStateStore[] = [];
let cluster = 0;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

/** `count` instances of one cluster (fresh key prefix), connected, each with a view of model "m". */
async function instances(count: number, options: { leaseMs?: number } = {}) {
  cluster += 1;
  const keyPrefix = `test${cluster}:`;
  const clock = new FakeClock();
  const made = Array.from({ length: count }, () => {
    const store = new RedisStateStore({ url: server.url, keyPrefix, clock, ...options });
    stores.push(store);
    const view = store.view("m");
    const events: SharedEvent[] = [];
    view.subscribe((event) => events.push(event));
    return { store, view, events };
  });
  await expect.poll(() => made.every(({ store }) => store.available)).toBe(true);
  return { clock, keyPrefix, instances: made };
}

const failure = (provider: string) =>
  ({ type: "failure", targetId: provider, failureThreshold: 3, openMs: 5000 }) as const;

describe("RedisSharedState", () => {
  it("opens the circuit everywhere when the shared failure count reaches the threshold", async () => {
    const { clock, keyPrefix, instances: all } = await instances(3);
    const [a, b, c] = all;
    a?.view.publish(failure("p"));
    b?.view.publish(failure("p"));
    await expect.poll(async () => (await redis.get(`${keyPrefix}m:fail:p`)) === "2").toBe(true);
    expect(c?.events).toEqual([]);
    c?.view.publish(failure("p"));
    const opened = { type: "circuit-opened", targetId: "p", untilMs: clock.now() + 5000 };
    await expect.poll(() => all.every(({ events }) => events.length === 1)).toBe(true);
    for (const { events } of all) expect(events).toEqual([opened]);
    expect(await redis.get(`${keyPrefix}m:fail:p`)).toBeNull();
    const ttl = await redis.pttl(`${keyPrefix}m:open:p`);
    expect(ttl).toBeGreaterThan(4000);
    expect(ttl).toBeLessThanOrEqual(5000);
    // Already open: more failures count but do not reopen.
    for (let i = 0; i < 3; i++) a?.view.publish(failure("p"));
    await expect.poll(async () => (await redis.get(`${keyPrefix}m:fail:p`)) === "3").toBe(true);
    expect(a?.events).toHaveLength(1);
  });

  it("resets the count on success only when a failure was reported (no Redis on the happy path)", async () => {
    const { clock, keyPrefix, instances: all } = await instances(2);
    const [a, b] = all;
    const key = `${keyPrefix}m:fail:p`;
    await redis.set(key, "1"); // written behind the instances' backs: nobody marked it dirty
    b?.view.publish({ type: "success", targetId: "p" });
    await fence(all, clock);
    expect(await redis.get(key)).toBe("1");

    a?.view.publish(failure("p"));
    await fence(all, clock); // B has heard the failure broadcast
    expect(await redis.get(key)).toBe("2");
    b?.view.publish({ type: "success", targetId: "p" });
    await expect.poll(async () => (await redis.get(key)) === null).toBe(true);
  });

  it("shares cooldowns, circuits opened and closed, and health", async () => {
    const { clock, keyPrefix, instances: all } = await instances(2);
    const [a, b] = all;
    a?.view.publish({
      type: "cooldown",
      targetId: "p",
      reason: "rate_limited",
      untilMs: clock.now() + 2000,
    });
    a?.view.publish({ type: "circuit-opened", targetId: "q", untilMs: clock.now() + 3000 });
    a?.view.publish({ type: "health", targetId: "r", healthy: false });
    await expect.poll(() => b?.events.length === 3).toBe(true);
    expect(b?.events).toEqual([
      { type: "cooldown", targetId: "p", reason: "rate_limited", untilMs: clock.now() + 2000 },
      { type: "circuit-opened", targetId: "q", untilMs: clock.now() + 3000 },
      { type: "health", targetId: "r", healthy: false },
    ]);
    expect(a?.events).toEqual(b?.events);
    expect(await redis.get(`${keyPrefix}m:cool:p`)).toBe("rate_limited");

    b?.view.publish({ type: "circuit-closed", targetId: "q" });
    await expect.poll(() => a?.events.length === 4).toBe(true);
    expect(a?.events[3]).toEqual({ type: "circuit-closed", targetId: "q" });
    expect(await redis.exists(`${keyPrefix}m:open:q`)).toBe(0);
  });

  it("keeps namespaces (models) apart", async () => {
    const { instances: all } = await instances(1);
    const [a] = all;
    const other = a?.store.view("other");
    const heard: SharedEvent[] = [];
    other?.subscribe((event) => heard.push(event));
    for (let i = 0; i < 3; i++) a?.view.publish(failure("p"));
    await expect.poll(() => a?.events.length === 1).toBe(true);
    expect(heard).toEqual([]);
  });

  it("a joining instance loads open circuits and cooldowns", async () => {
    const { clock, keyPrefix, instances: all } = await instances(1);
    const [a] = all;
    for (let i = 0; i < 3; i++) a?.view.publish(failure("p/x"));
    a?.view.publish({ type: "cooldown", targetId: "q", reason: "quota_exhausted", untilMs: 1e15 });
    await expect.poll(() => a?.events.length === 2).toBe(true);

    const late = new RedisStateStore({ url: server.url, keyPrefix, clock });
    stores.push(late);
    const events: SharedEvent[] = [];
    late.view("m").subscribe((event) => events.push(event));
    await expect.poll(() => events.length === 2).toBe(true);
    const byType = Object.fromEntries(events.map((event) => [event.type, event]));
    expect(byType["circuit-opened"]).toMatchObject({ targetId: "p/x" });
    const opened = byType["circuit-opened"];
    if (opened?.type !== "circuit-opened") throw new Error("no circuit-opened event");
    expect(opened.untilMs - clock.now()).toBeGreaterThan(4000);
    expect(byType.cooldown).toMatchObject({ targetId: "q", reason: "quota_exhausted" });

    // An engine that subscribes later (a config reload) is brought up to date too.
    const reloaded: SharedEvent[] = [];
    late.view("m").subscribe((event) => reloaded.push(event));
    await expect.poll(() => reloaded.length === 2).toBe(true);
  });

  it("holds a concurrency limit across instances, and expired leases free their slots", async () => {
    const { keyPrefix, instances: all } = await instances(2);
    const [a, b] = all;
    const first = await a?.view.acquireSlot("p", 2);
    const second = await b?.view.acquireSlot("p", 2);
    expect(typeof first).toBe("object");
    expect(typeof second).toBe("object");
    expect(await a?.view.acquireSlot("p", 2)).toBeUndefined();
    expect(await b?.view.acquireSlot("p", 2)).toBeUndefined();
    if (typeof first !== "object") throw new Error("no lease");
    first.release();
    first.release(); // a second release changes nothing
    await expect.poll(async () => (await redis.zcard(`${keyPrefix}m:slots:p`)) === 1).toBe(true);
    const third = await b?.view.acquireSlot("p", 2);
    expect(typeof third).toBe("object");
    expect(await a?.view.acquireSlot("p", 2)).toBeUndefined();

    // A crashed instance's leases lapse (here: their expiry moved into the past).
    const crashed = await a?.view.acquireSlot("c", 1);
    expect(typeof crashed).toBe("object");
    expect(await b?.view.acquireSlot("c", 1)).toBeUndefined();
    const slots = `${keyPrefix}m:slots:c`;
    for (const member of await redis.zrange(slots, "0", "-1"))
      await redis.zadd(slots, "XX", "1", member);
    expect(typeof (await b?.view.acquireSlot("c", 1))).toBe("object");
    expect(await redis.zcard(slots)).toBe(1);
  });

  it("renews the leases it holds until they are released", async () => {
    const { keyPrefix, instances: all } = await instances(1, { leaseMs: 300 });
    const lease = await all[0]?.view.acquireSlot("p", 1);
    if (typeof lease !== "object") throw new Error("no lease");
    const slots = `${keyPrefix}m:slots:p`;
    const [member, firstExpiry] = await redis.zrange(slots, "0", "0", "WITHSCORES");
    await expect
      .poll(async () => Number(await redis.zscore(slots, member ?? "")) > Number(firstExpiry), {
        message: "the lease to be renewed",
      })
      .toBe(true);
    lease.release();
    await expect.poll(async () => (await redis.zcard(slots)) === 0).toBe(true);
  });
});

let fences = 0;

/** Waits until every instance has heard everything published before (the channel keeps order). */
async function fence(all: { view: RedisSharedState; events: SharedEvent[] }[], clock: FakeClock) {
  fences += 1;
  const provider = `fence-${fences}`;
  all[0]?.view.publish({ type: "circuit-opened", targetId: provider, untilMs: clock.now() + 1000 });
  await expect
    .poll(() => all.every(({ events }) => events.some((event) => event.targetId === provider)))
    .toBe(true);
}
