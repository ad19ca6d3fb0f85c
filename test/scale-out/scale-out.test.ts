/**
 * Three gateway processes sharing one real Redis and the same mock providers: circuits, concurrency
 * limits and client rate limits hold across instances; losing Redis or an instance mid-load loses
 * no request that could be served. The scenarios run in order on one cluster; the last two kill
 * Redis (then restart it) and one gateway.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MockProviderServer } from "../../src/testing/index.js";
import {
  type Cluster,
  chat,
  getJson,
  type Instance,
  type Outcome,
  runLoad,
  startCluster,
  targetStatus,
} from "./cluster.js";

type Mock = "bad" | "good" | "slow" | "lag";

let cluster: Cluster<Mock>;
let mocks: Record<Mock, MockProviderServer>;
let instances: Instance[];

const provider = (name: string, mock: MockProviderServer, key: Record<string, unknown> = {}) => ({
  name,
  type: "openai",
  baseUrl: `${mock.url}/v1`,
  keys: [{ key: `sk-${name}`, ...key }],
});

beforeAll(async () => {
  cluster = await startCluster<Mock>({
    mocks: ["bad", "good", "slow", "lag"],
    instances: 3,
    config: (m) => ({
      defaults: {
        retry: { maxAttempts: 1 },
        healthCheckIntervalMs: 600_000,
        timeoutMs: 5000,
        deadlineMs: 8000,
        maxRetryAfterWaitMs: 0,
      },
      providers: [
        provider("bad", m.bad),
        provider("good", m.good),
        provider("capped", m.slow, { maxConcurrency: 2 }),
        provider("pooled", m.good, { maxConcurrency: 64 }),
        provider("lagging", m.lag),
      ],
      models: [
        {
          name: "flaky",
          failureThreshold: 3,
          recoveryTimeoutMs: 60_000,
          targets: [
            { provider: "bad", model: "x", priority: 0 },
            { provider: "good", model: "x", priority: 1 },
          ],
        },
        { name: "capped", queueTimeoutMs: 0, targets: [{ provider: "capped", model: "x" }] },
        { name: "steady", targets: [{ provider: "pooled", model: "x" }] },
        { name: "lagged", targets: [{ provider: "lagging", model: "x" }] },
      ],
      clients: [
        { name: "app", key: "sk-app" },
        { name: "metered", key: "sk-metered", rateLimit: { rpm: 10 } },
        { name: "loader", key: "sk-loader", rateLimit: { rpm: 1_000_000 } },
      ],
    }),
  });
  mocks = cluster.mocks;
  instances = cluster.instances;
  mocks.bad.setDefaultFor("openai.chat", { error: { status: 500, message: "upstream broke" } });
  mocks.lag.setDefault({ reply: { text: "lagged" }, headersDelayMs: 100 });
  // In a hook, vi.waitFor (expect.poll works only inside a test).
  await vi.waitFor(
    async () => {
      const ready = await Promise.all(instances.map((instance) => getJson(instance, "/readyz")));
      const statuses = ready.map((body) => body.status);
      expect(statuses, "every instance to be ready with Redis connected").toEqual(
        instances.map(() => "ready"),
      );
    },
    { timeout: 5000, interval: 10 },
  );
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

const chatCalls = (mock: MockProviderServer) => mock.stats.byRoute["openai.chat"] ?? 0;

describe("three gateway instances sharing Redis", () => {
  it("failures seen through instance A open the circuit on B and C within one second", async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    for (let i = 0; i < 3; i++) {
      expect((await chat(a, { model: "flaky", key: "sk-app" })).status).toBe(200);
    }
    const sentAt = Date.now();
    await expect
      .poll(
        async () =>
          (await targetStatus(b, "flaky", "bad/x")) === "open" &&
          (await targetStatus(c, "flaky", "bad/x")) === "open",
        { timeout: 1000, message: "the circuit of bad/x to open on B and C" },
      )
      .toBe(true);
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(chatCalls(mocks.bad)).toBe(3);
    for (const instance of [b, c]) {
      expect((await chat(instance, { model: "flaky", key: "sk-app" })).status).toBe(200);
    }
    expect(chatCalls(mocks.bad)).toBe(3);
  });

  it("a key's maxConcurrency holds across instances under concurrent load", async () => {
    mocks.slow.reset(); // forget the start-up health probes, which are not limited
    mocks.slow.setDefault({ reply: { text: "slow" }, headersDelayMs: 150 });
    const calls = instances.flatMap((instance) =>
      Array.from({ length: 6 }, () => chat(instance, { model: "capped", key: "sk-app" })),
    );
    const outcomes = await Promise.all(calls);
    const served = outcomes.filter((outcome) => outcome.status === 200);
    expect(mocks.slow.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(mocks.slow.stats.maxInFlight).toBe(2);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(served.length).toBeLessThan(outcomes.length);
    expect(outcomes.every((o) => o.status === 200 || o.status === 429 || o.status === 503)).toBe(
      true,
    );
  });

  it("a client's rate limit holds globally", async () => {
    const calls = Array.from({ length: 30 }, (_, i) =>
      chat(instances[i % 3] as Instance, { model: "steady", key: "sk-metered" }),
    );
    const outcomes = await Promise.all(calls);
    const served = outcomes.filter((outcome) => outcome.status === 200);
    expect(served).toHaveLength(10);
    const refused = outcomes.filter((outcome) => outcome.status === 429);
    expect(refused).toHaveLength(20);
    expect(refused[0]?.body).toContain(
      "the client 'metered' is over its rate limit of 10 requests per minute",
    );
    // Every instance took its share of the ten, and refused the rest.
    expect(new Set(refused.map((outcome) => outcome.instance)).size).toBe(3);
  });

  it("killing Redis mid-load loses no request; instances report degraded and recover", async () => {
    let stop = false;
    const load = runLoad(instances, {
      model: "steady",
      key: "sk-loader",
      workers: 2,
      until: () => stop,
      maxRequests: 3000,
    });
    try {
      await flowing(mocks.good, 30);
      await cluster.redis.stop();
      await expect
        .poll(
          async () => {
            const ready = await Promise.all(instances.map((i) => getJson(i, "/readyz")));
            return ready.every(
              (body) =>
                body.status === "degraded" &&
                (body.degraded as string[]).includes(
                  "state store unreachable (running on local state)",
                ),
            );
          },
          { message: "every instance to report the state store unreachable" },
        )
        .toBe(true);
      await flowing(mocks.good, 30);
      await cluster.redis.start();
      await expect
        .poll(
          async () => {
            const ready = await Promise.all(instances.map((i) => getJson(i, "/readyz")));
            return ready.every(
              (body) =>
                body.status === "ready" &&
                (body.stateStore as { connected: boolean } | undefined)?.connected === true,
            );
          },
          { timeout: 10_000, message: "every instance to rejoin Redis" },
        )
        .toBe(true);
      await flowing(mocks.good, 30);
    } finally {
      stop = true;
    }
    const outcomes = await load;
    expect(outcomes.length).toBeGreaterThan(90);
    expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
    // Shared again: the rate limit counts in Redis (a fresh window after the restart).
    const limited = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        chat(instances[i % 3] as Instance, { model: "steady", key: "sk-metered" }),
      ),
    );
    expect(limited.filter((outcome) => outcome.status === 200)).toHaveLength(10);
  });

  it("killing one instance mid-load: its requests complete or fail at the client, the others serve on", async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    let stop = false;
    const load = runLoad(instances, {
      model: "lagged",
      key: "sk-app",
      workers: 3,
      until: () => stop,
      maxRequests: 500,
      timeoutMs: 5000,
    });
    let killedAt = 0;
    try {
      await flowing(mocks.lag, 15);
      killedAt = Date.now();
      c.child.kill();
      await c.child.exited;
      await flowing(mocks.lag, 30);
    } finally {
      stop = true;
    }
    const outcomes = await load;
    const on = (instance: Instance) => outcomes.filter((o) => o.instance === instance.name);
    const hung = outcomes.filter((outcome) => outcome.error === "TimeoutError");
    expect(hung).toEqual([]);
    for (const survivor of [a, b]) {
      expect(on(survivor).filter((outcome) => outcome.status !== 200)).toEqual([]);
      const afterKill = on(survivor).filter((outcome) => outcome.startedAt > killedAt);
      expect(afterKill.length).toBeGreaterThan(0);
    }
    const fromKilled = on(c);
    expect(fromKilled.every((o: Outcome) => o.status === 200 || o.error !== undefined)).toBe(true);
    expect(fromKilled.filter((outcome) => outcome.error !== undefined).length).toBeGreaterThan(0);
  });
});

/** Waits until `count` more chat requests have reached the mock (the load is flowing). */
async function flowing(mock: MockProviderServer, count: number): Promise<void> {
  const start = chatCalls(mock);
  await expect
    .poll(() => chatCalls(mock) >= start + count, {
      timeout: 10_000,
      message: `${count} more requests to reach the mock`,
    })
    .toBe(true);
}
