import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import { FactoryClosedError } from "../errors/factory-closed-error.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { fail, settle, setup } from "./test-kit.test-helper.js";

describe("ProviderFactory: cache", () => {
  it("serves fresh entries from the cache without calling a provider", async () => {
    const { factory, provider, clock } = setup();
    const p = provider({ result: "answer" });
    factory.register("p", p);
    const cache = { ttlMs: 1000 };
    expect(await factory.generate("q", { cache })).toBe("answer");
    const hit = await factory.generateWithReport("q", { cache });
    expect(hit.result).toBe("answer");
    expect(hit.report).toMatchObject({ cached: true, stale: false, targetId: undefined });
    expect(p.calls).toBe(1);
    await clock.advance(1000);
    await factory.generate("q", { cache });
    expect(p.calls).toBe(2);
  });

  it("serves a stale entry, flagged, when every provider fails, and still fires onAllFailed", async () => {
    const { factory, provider, clock } = setup({ retry: { maxAttempts: 1 } });
    const p = provider(fail("transient"), [{ result: "old answer" }]);
    factory.register("p", p);
    let allFailed = 0;
    factory.onAllFailed(() => {
      allFailed++;
    });
    const cache = { ttlMs: 1000, staleIfErrorMs: 5000, key: (request: string) => `k:${request}` };
    await factory.generate("q", { cache });
    await clock.advance(3000);
    const stale = await factory.generateWithReport("q", { cache });
    expect(stale.result).toBe("old answer");
    expect(stale.report).toMatchObject({ cached: true, stale: true });
    expect(stale.report.attempts[0]).toMatchObject({ targetId: "p", outcome: "failure" });
    expect(allFailed).toBe(1);
    await clock.advance(3000);
    await expect(factory.generate("q", { cache })).rejects.toBeInstanceOf(
      AllProvidersUnavailableError,
    );
  });

  it("never serves stale for the caller's own fault", async () => {
    const { factory, provider, clock } = setup();
    factory.register("p", provider(fail("invalid_request"), [{ result: "old" }]));
    const cache = { ttlMs: 10, staleIfErrorMs: 10_000 };
    await factory.generate("q", { cache });
    await clock.advance(100);
    await expect(factory.generate("q", { cache })).rejects.toMatchObject({
      kind: "invalid_request",
    });
  });
});

describe("ProviderFactory: health checks", () => {
  it("probes periodically with a timeout, never overlapping, and stops", async () => {
    const { factory, provider, clock } = setup({
      healthCheckIntervalMs: 1000,
      healthCheckTimeoutMs: 300,
    });
    let probes = 0;
    let running = 0;
    let overlap = false;
    const p = provider({ result: "x" });
    p.healthCheck = (context) => {
      probes++;
      running++;
      if (running > 1) overlap = true;
      return new Promise((resolve, reject) => {
        const timer = clock.setTimeout(() => {
          running--;
          resolve("ok");
        }, 2500);
        context.signal.addEventListener("abort", () => {
          clock.clearTimeout(timer);
          running--;
          reject(context.signal.reason);
        });
      });
    };
    const changes: unknown[] = [];
    factory.on("health", ({ targetId: name, healthy }) => {
      changes.push([name, healthy]);
    });
    factory.register("p", p);
    const started = factory.startHealthChecks();
    await clock.advance(300);
    await started;
    expect(factory.getStatus().p).toBe("unhealthy");
    expect(changes).toEqual([["p", false]]);
    await clock.advance(5000);
    expect(probes).toBe(6);
    expect(overlap).toBe(false);
    await factory.stopHealthChecks();
    await clock.advance(10_000);
    expect(probes).toBe(6);
    expect(clock.pendingTimers).toBe(0);
  });

  it("moves unhealthy providers to the back of the order", async () => {
    const { factory, provider } = setup();
    const sick = provider({ result: "sick" });
    sick.healthCheck = async () => {
      throw new Error("down");
    };
    factory
      .register("sick", sick, { priority: 1 })
      .register("well", provider({ result: "well" }), { priority: 2 });
    await factory.checkHealth();
    expect(await factory.generate("q")).toBe("well");
  });
});

describe("ProviderFactory: hooks, metrics, lifecycle", () => {
  it("a throwing or rejecting hook never breaks or delays a call, and is reported", async () => {
    const { factory, provider } = setup({ retry: { maxAttempts: 1 } });
    factory.register("a", provider(fail("transient")), { priority: 1 });
    factory.register("b", provider({ result: "b" }), { priority: 2 });
    const reported: string[] = [];
    factory.on("hookError", ({ event }) => {
      reported.push(event);
    });
    factory.onFallback(() => {
      throw new Error("sync hook bug");
    });
    factory.on("success", async () => {
      throw new Error("async hook bug");
    });
    factory.on("attempt", () => new Promise(() => undefined)); // never settles: must not delay
    expect(await factory.generate("q")).toBe("b");
    await new Promise((resolve) => setImmediate(resolve));
    expect(reported.sort()).toEqual(["fallback", "success"]);
  });

  it("reports per-provider metrics with bounded-memory percentiles", async () => {
    const { factory, provider, clock } = setup({ retry: { maxAttempts: 1 } });
    const p = provider({ result: "x", delayMs: 10 });
    factory.register("p", p);
    for (let i = 1; i <= 100; i++) {
      p.steps.push({ result: "x", delayMs: i });
      await settle(clock, factory.generate("q"), 1);
    }
    p.steps.push(fail("transient"));
    await factory.generate("q").catch(() => undefined);
    const metrics = factory.getMetrics().p;
    expect(metrics).toMatchObject({
      name: "p",
      totalRequests: 101,
      successfulRequests: 100,
      failedRequests: 1,
      circuitState: "closed",
      inFlight: 0,
      cooldownUntil: undefined,
      lastError: { kind: "transient", message: "transient failure" },
    });
    expect(metrics?.avgLatencyMs).toBeCloseTo(50.5);
    expect(metrics?.p50LatencyMs).toBe(50);
    expect(metrics?.p95LatencyMs).toBe(95);
    expect(metrics?.p99LatencyMs).toBe(99);
    expect(metrics?.lastSuccess).toBeTypeOf("number");
  });

  it("close() refuses new calls, lets in-flight calls finish, and stops timers", async () => {
    const { factory, provider, clock } = setup({ healthCheckIntervalMs: 1000 });
    const p = provider({ result: "done", delayMs: 500 });
    p.healthCheck = async () => "ok";
    factory.register("p", p);
    await factory.startHealthChecks();
    const inFlight = factory.generate("q");
    let closed = false;
    const closing = factory.close().then(() => {
      closed = true;
    });
    await expect(factory.generate("q")).rejects.toBeInstanceOf(FactoryClosedError);
    await clock.advance(499);
    expect(closed).toBe(false);
    await clock.advance(1);
    expect(await inFlight).toBe("done");
    await closing;
    expect(closed).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it("close({ abortAfterMs }) aborts calls still running after that long", async () => {
    const { factory, provider, clock } = setup();
    const p = provider({ hang: true });
    factory.register("p", p);
    const call = factory.generate("q").catch((e: unknown) => e);
    const closing = factory.close({ abortAfterMs: 100 });
    await clock.advance(100);
    await closing;
    expect(await call).toBeInstanceOf(FactoryClosedError);
    expect(p.contexts[0]?.signal.aborted).toBe(true);
  });

  it("validates options with messages that name the option and the value", () => {
    const { factory, provider } = setup();
    expect(() => factory.register("p", provider({ result: "x" }), { maxConcurrency: 0 })).toThrow(
      new InvalidOptionError("p.maxConcurrency", "an integer >= 1", 0),
    );
    expect(() => setup({ failureThreshold: -1 })).toThrow(
      "failureThreshold must be an integer >= 1 (got -1)",
    );
    expect(() => setup({ retryBudget: { ratio: 2 } })).toThrow(
      "retryBudget.ratio must be a ratio between 0 and 1 (got 2)",
    );
    expect(() => factory.register("p", {} as never)).toThrow(
      "p provider must be an object with a generate() method",
    );
  });
});

describe("ProviderFactory: strategies and selectors", () => {
  function four(
    strategy: "weighted" | "round-robin" | "least-cost" | "least-busy" | "least-latency",
  ) {
    const kit = setup({ strategy });
    const names = ["a", "b", "c", "d"];
    const providers = names.map((name) => kit.provider({ result: name }));
    return { ...kit, names, providers };
  }

  it("round-robin rotates within a priority tier", async () => {
    const { factory, providers, names } = four("round-robin");
    names.forEach((name, i) => {
      factory.register(name, providers[i] as never, { priority: i < 3 ? 1 : 2 });
    });
    const served = [];
    for (let i = 0; i < 6; i++) served.push(await factory.generate("q"));
    expect(served).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("weighted spreads traffic by weight", async () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const kit = setup({ strategy: "weighted", random });
    kit.factory.register("heavy", kit.provider({ result: "heavy" }), { weight: 3 });
    kit.factory.register("light", kit.provider({ result: "light" }), { weight: 1 });
    const counts: Record<string, number> = { heavy: 0, light: 0 };
    for (let i = 0; i < 2000; i++) {
      const served = await kit.factory.generate("q");
      counts[served] = (counts[served] ?? 0) + 1;
    }
    expect((counts.heavy ?? 0) / 2000).toBeGreaterThan(0.7);
    expect((counts.heavy ?? 0) / 2000).toBeLessThan(0.8);
  });

  it("least-cost orders by cost and maxCost filters", async () => {
    const { factory, providers, names, clock } = four("least-cost");
    [4, 1, 3, 2].forEach((cost, i) => {
      factory.register(names[i] as string, providers[i] as never, { cost });
    });
    expect(await factory.generate("q")).toBe("b");
    providers[1]?.steps.push(fail("transient"), fail("transient"));
    providers[3]?.steps.push(fail("transient"), fail("transient"));
    const error = (await settle(clock, factory.generate("q", { maxCost: 2 })).catch(
      (e: unknown) => e,
    )) as {
      attempts: { targetId: string; outcome: string; reason?: string }[];
    };
    expect(error.attempts.map((a) => [a.targetId, a.outcome, a.reason])).toEqual([
      ["b", "failure", undefined],
      ["b", "failure", undefined],
      ["d", "failure", undefined],
      ["d", "failure", undefined],
      ["c", "skipped", "over_cost"],
      ["a", "skipped", "over_cost"],
    ]);
    expect(providers[0]?.calls).toBe(0);
  });

  it("least-busy prefers the provider with the fewest calls in flight", async () => {
    const { factory, provider, clock } = setup({ strategy: "least-busy" });
    const a = provider({ result: "a", delayMs: 100 });
    const b = provider({ result: "b", delayMs: 100 });
    factory.register("a", a).register("b", b);
    const first = factory.generate("q");
    const second = factory.generate("q");
    await clock.advance(100);
    expect([await first, await second]).toEqual(["a", "b"]);
  });

  it("least-latency prefers the faster provider and still explores", async () => {
    let coin = 0;
    const randoms = () => {
      coin++;
      return coin % 10 === 0 ? 0 : 0.99; // every 10th draw explores
    };
    const { factory, provider, clock } = setup({
      strategy: "least-latency",
      explorationRatio: 0.1,
      random: randoms,
    });
    factory.register("slow", provider({ result: "slow", delayMs: 200 }));
    factory.register("fast", provider({ result: "fast", delayMs: 20 }));
    const served: string[] = [];
    for (let i = 0; i < 30; i++) served.push(await settle(clock, factory.generate("q"), 50));
    const fastShare = served.filter((name) => name === "fast").length / served.length;
    expect(fastShare).toBeGreaterThan(0.7);
    expect(served.slice(5)).toContain("slow");
  });

  it("a selector's picks go first, the rest stay as fallbacks; candidates carry metrics", async () => {
    const { factory, provider } = setup({ retry: { maxAttempts: 1 } });
    factory.register("a", provider({ result: "a" }), { priority: 1 });
    factory.register("b", provider(fail("transient")), { priority: 2, metadata: { region: "eu" } });
    let seen: string[] = [];
    const outcome = await factory.generateWithReport("q", {
      selector: (candidates) => {
        seen = candidates.map(
          (c) => `${c.name}:${c.metrics.totalRequests}:${String(c.metadata.region)}`,
        );
        return "b";
      },
    });
    expect(seen).toEqual(["a:0:undefined", "b:0:eu"]);
    expect(outcome.report.attempts.map((a) => a.targetId)).toEqual(["b", "a"]);
  });

  it("`providers` restricts the candidates of one call", async () => {
    const { factory, provider } = setup();
    factory.register("a", provider({ result: "a" }), { priority: 1 });
    factory.register("b", provider({ result: "b" }), { priority: 2 });
    expect(await factory.generate("q", { targetIds: ["b"] })).toBe("b");
  });
});
