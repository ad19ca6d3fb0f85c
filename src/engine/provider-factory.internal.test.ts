import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { StreamInterruptedError } from "../errors/stream-interrupted-error.js";
import { fail, settle, setup } from "./test-kit.test-helper.js";

/**
 * Kind `internal`: our own code failed while preparing a request for a provider or reading its
 * answer. Never retried, never counted by a breaker or cooldown, the next provider tried.
 */
describe("ProviderFactory: internal errors", () => {
  it("are not retried, fail over, and leave the breaker closed however many there are", async () => {
    const { factory, provider, clock } = setup({
      failureThreshold: 2,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    });
    const mapper = provider(fail("internal"));
    const backup = provider({ result: "from backup" });
    factory.register("mapper", mapper, { priority: 1 }).register("backup", backup, { priority: 2 });
    const events: string[] = [];
    factory.on("cooldown", () => events.push("cooldown"));
    factory.on("circuit", (event) => events.push(`circuit ${event.to}`));

    for (let call = 1; call <= 20; call++) {
      const { result, report } = await settle(clock, factory.generateWithReport("q"));
      expect(result).toBe("from backup");
      expect(report.attempts.map((a) => [a.targetId, a.outcome])).toEqual([
        ["mapper", "failure"],
        ["backup", "success"],
      ]);
      // Not retried: one call per client request, and still tried for every new one.
      expect(mapper.calls).toBe(call);
    }
    expect(events).toEqual([]);
    expect(factory.getMetrics().mapper).toMatchObject({
      circuitState: "closed",
      failedRequests: 20,
      lastError: { kind: "internal" },
    });
    expect(factory.getStatus().mapper).toBe("healthy");
  });

  it("a half-open trial ending in an internal error neither closes nor reopens the circuit", async () => {
    const { factory, provider, clock } = setup({
      failureThreshold: 1,
      recoveryTimeoutMs: 1000,
      retry: { maxAttempts: 1 },
    });
    const flaky = provider(fail("internal"), [fail("transient")]);
    factory.register("flaky", flaky, { priority: 1 });
    factory.register("backup", provider({ result: "ok" }), { priority: 2 });
    expect(await factory.generate("q")).toBe("ok");
    expect(factory.getMetrics().flaky?.circuitState).toBe("open");
    await clock.advance(1000);
    expect(await factory.generate("q")).toBe("ok");
    expect(flaky.calls).toBe(2);
    // The trial's permit was given back: the provider stays on trial, not open for another minute.
    expect(factory.getMetrics().flaky?.circuitState).toBe("half_open");
  });

  it("when every provider fails internally, the call fails with each attempt's internal error", async () => {
    const { factory, provider, clock } = setup({ failureThreshold: 1, retry: { maxAttempts: 3 } });
    const a = provider(fail("internal"));
    const b = provider(fail("internal"));
    factory.register("a", a, { priority: 1 }).register("b", b, { priority: 2 });
    const error = await settle(clock, factory.generate("q")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllProvidersUnavailableError);
    expect((error as AllProvidersUnavailableError).kinds).toEqual(["internal", "internal"]);
    expect([a.calls, b.calls]).toEqual([1, 1]);
    expect(factory.getStatus()).toEqual({ a: "healthy", b: "healthy" });
  });

  it("before a stream's first chunk fail over; after it end the stream without counting", async () => {
    const { factory, provider } = setup({ failureThreshold: 1 });
    const broken = provider(fail("internal"));
    const mid = new ProviderError("reading a chunk threw", { kind: "internal" });
    const partial = provider({ chunks: ["par", "tial"], errorAfter: mid });
    factory
      .register("broken", broken, { priority: 1 })
      .register("partial", partial, { priority: 2 });

    const chunks: string[] = [];
    const error = await (async () => {
      for await (const chunk of factory.stream("q")) chunks.push(chunk);
    })().catch((e: unknown) => e);
    expect(chunks).toEqual(["par", "tial"]);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).cause).toBe(mid);
    expect(broken.calls).toBe(1);
    expect(factory.getMetrics().broken?.circuitState).toBe("closed");
    expect(factory.getMetrics().partial?.circuitState).toBe("closed");
  });
});
