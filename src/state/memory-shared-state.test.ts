import { describe, expect, it } from "vitest";
import { ProviderFactory } from "../engine/provider-factory.js";
import { ProviderError } from "../errors/provider-error.js";
import { FakeClock } from "../testing/fake-clock.js";
import { createScriptedProvider } from "../testing/scripted-provider.js";
import { MemorySharedState } from "./memory-shared-state.js";

function instances(count: number) {
  const clock = new FakeClock();
  const shared = new MemorySharedState(clock);
  const options = {
    clock,
    sharedState: shared,
    failureThreshold: 3,
    recoveryTimeoutMs: 10_000,
    retry: { maxAttempts: 1 },
    retryBudget: false as const,
  };
  const factories = Array.from(
    { length: count },
    () => new ProviderFactory<string, string>(options),
  );
  return { clock, shared, factories };
}

const outage = { error: new ProviderError("down", { kind: "transient", status: 503 }) };

describe("shared state across engines", () => {
  it("failures seen through one engine open the circuit in every engine", async () => {
    const { clock, factories } = instances(3);
    const upstreams = factories.map((factory) => {
      const upstream = createScriptedProvider<string, string>(clock, outage);
      factory.register("openai", upstream);
      return upstream;
    });
    const [a, b, c] = factories;
    await a?.generate("q").catch(() => undefined);
    await b?.generate("q").catch(() => undefined);
    expect(c?.getStatus().openai).toBe("healthy");
    await a?.generate("q").catch(() => undefined);
    for (const factory of factories) expect(factory.getStatus().openai).toBe("open");
    await c?.generate("q").catch(() => undefined);
    expect(upstreams.map((u) => u.calls)).toEqual([2, 1, 0]);
  });

  it("a success anywhere resets the shared failure count", async () => {
    const { clock, factories } = instances(2);
    const [a, b] = factories;
    const failing = createScriptedProvider<string, string>(clock, outage);
    const working = createScriptedProvider<string, string>(clock, { result: "ok" });
    a?.register("p", failing);
    b?.register("p", working);
    await a?.generate("q").catch(() => undefined);
    await a?.generate("q").catch(() => undefined);
    await b?.generate("q");
    await a?.generate("q").catch(() => undefined);
    expect(a?.getStatus().p).toBe("healthy");
  });

  it("shares cooldowns, circuit closing and health", async () => {
    const { clock, factories } = instances(2);
    const [a, b] = factories;
    const limited = createScriptedProvider<string, string>(clock, {
      error: new ProviderError("slow down", { kind: "rate_limited", retryAfterMs: 5000 }),
    });
    a?.register("p", limited);
    b?.register("p", createScriptedProvider<string, string>(clock, { result: "ok" }));
    await a?.generate("q").catch(() => undefined);
    expect(b?.getStatus().p).toBe("cooling_down");
    await clock.advance(5000);
    expect(b?.getStatus().p).toBe("healthy");
  });

  it("holds a concurrency limit across engines", async () => {
    const { clock, factories } = instances(2);
    const upstreams = factories.map((factory) => {
      const upstream = createScriptedProvider<string, string>(clock, {
        result: "ok",
        delayMs: 100,
      });
      factory.register("p", upstream, { maxConcurrency: 2 });
      return upstream;
    });
    const calls = factories.flatMap((factory) => [factory.generate("q"), factory.generate("q")]);
    const outcomes = Promise.allSettled(calls);
    await clock.advance(100);
    const results = await outcomes;
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(upstreams.reduce((sum, u) => sum + u.calls, 0)).toBe(2);
  });
});
