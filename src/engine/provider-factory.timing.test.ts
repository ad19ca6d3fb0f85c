import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import { HedgeLostError } from "../errors/hedge-lost-error.js";
import { fail, setup } from "./test-kit.test-helper.js";

describe("ProviderFactory: deadlines, cancellation, hedging, concurrency", () => {
  it("times an attempt out at its timeoutMs, aborts its signal, and fails over", async () => {
    const { factory, provider, clock } = setup({ retry: { maxAttempts: 1 } });
    const slow = provider({ hang: true });
    const fast = provider({ result: "fast", delayMs: 10 });
    factory
      .register("slow", slow, { priority: 1, timeoutMs: 1000 })
      .register("fast", fast, { priority: 2 });
    const pending = factory.generateWithReport("q");
    await clock.advance(1000);
    expect(slow.contexts[0]?.signal.aborted).toBe(true);
    expect(slow.contexts[0]?.signal.reason).toBeInstanceOf(AttemptTimeoutError);
    await clock.advance(10);
    const { result, report } = await pending;
    expect(result).toBe("fast");
    expect(report.attempts[0]).toMatchObject({
      targetId: "slow",
      outcome: "failure",
      kind: "timeout",
    });
  });

  it("gives each attempt min(timeoutMs, time left of deadlineMs) and starts none when too little is left", async () => {
    const { factory, provider, clock } = setup({ retry: { maxAttempts: 1 }, minAttemptMs: 50 });
    const first = provider({ hang: true });
    const second = provider({ hang: true });
    const third = provider({ result: "too late" });
    factory.register("first", first, { priority: 1, timeoutMs: 600 });
    factory.register("second", second, { priority: 2, timeoutMs: 600 });
    factory.register("third", third, { priority: 3 });
    const pending = factory.generate("q", { deadlineMs: 1000 }).catch((e: unknown) => e);
    await clock.advance(600);
    expect(second.calls).toBe(1);
    await clock.advance(399); // second gets only the 400 ms left, not its 600
    expect(second.contexts[0]?.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(second.contexts[0]?.signal.aborted).toBe(true);
    const error = (await pending) as AllProvidersUnavailableError;
    expect(third.calls).toBe(0);
    expect(error.attempts.at(-1)).toMatchObject({
      targetId: "third",
      outcome: "skipped",
      reason: "deadline",
    });
  });

  it("does not retry when the backoff would run past the deadline", async () => {
    const { factory, provider, clock } = setup({
      retry: { maxAttempts: 5, baseDelayMs: 800, maxDelayMs: 800 },
    });
    const flaky = provider(fail("transient"));
    factory.register("flaky", flaky);
    // Full jitter with random 0.5 waits 400 ms: more than the 300 ms deadline allows.
    const pending = factory.generate("q", { deadlineMs: 300 }).catch((e: unknown) => e);
    await clock.advance(1000);
    expect(await pending).toBeInstanceOf(AllProvidersUnavailableError);
    expect(flaky.calls).toBe(1);
  });

  it("on caller abort rejects with signal.reason and aborts the attempt in flight", async () => {
    const { factory, provider, clock } = setup();
    const hanging = provider({ hang: true });
    const backup = provider({ result: "unused" });
    factory
      .register("hanging", hanging, { priority: 1 })
      .register("backup", backup, { priority: 2 });
    const controller = new AbortController();
    const pending = factory.generate("q", { signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(100);
    const reason = new Error("user went away");
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(hanging.contexts[0]?.signal.reason).toBe(reason);
    expect(backup.calls).toBe(0);
    expect(factory.getMetrics().hanging?.circuitState).toBe("closed");
  });

  it("rejects at once when the signal is already aborted", async () => {
    const { factory, provider } = setup();
    const never = provider({ result: "x" });
    factory.register("p", never);
    const reason = new Error("already");
    await expect(factory.generate("q", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(never.calls).toBe(0);
  });

  it("cancels a backoff sleep on caller abort", async () => {
    const { factory, provider, clock } = setup({
      retry: { maxAttempts: 3, baseDelayMs: 10_000, maxDelayMs: 10_000 },
    });
    factory.register("flaky", provider(fail("transient")));
    const controller = new AbortController();
    const pending = factory.generate("q", { signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(10);
    controller.abort("stop");
    expect(await pending).toBe("stop");
  });

  it("hedges: starts the next candidate after delayMs, first success wins, the loser is aborted", async () => {
    const { factory, provider, clock } = setup();
    const slow = provider({ result: "slow", delayMs: 5000 });
    const quick = provider({ result: "quick", delayMs: 100 });
    factory.register("slow", slow, { priority: 1 }).register("quick", quick, { priority: 2 });
    const pending = factory.generateWithReport("q", { hedge: { delayMs: 500 } });
    await clock.advance(499);
    expect(quick.calls).toBe(0);
    await clock.advance(101);
    const { result, report } = await pending;
    expect(result).toBe("quick");
    expect(report.hedged).toBe(true);
    expect(slow.contexts[0]?.signal.reason).toBeInstanceOf(HedgeLostError);
    expect(report.attempts.map((a) => [a.targetId, a.outcome])).toEqual([
      ["quick", "success"],
      ["slow", "aborted"],
    ]);
  });

  it("never starts more than maxExtra hedges", async () => {
    const { factory, provider, clock } = setup();
    const providers = [1, 2, 3, 4].map(() => provider({ result: "late", delayMs: 10_000 }));
    providers.forEach((p, index) => {
      factory.register(`p${index}`, p, { priority: index });
    });
    const pending = factory.generate("q", { hedge: { delayMs: 100, maxExtra: 2 } });
    await clock.advance(5000);
    expect(providers.map((p) => p.calls)).toEqual([1, 1, 1, 0]);
    await clock.advance(10_000);
    expect(await pending).toBe("late");
  });

  it("race starts n candidates at once", async () => {
    const { factory, provider, clock } = setup();
    const a = provider({ result: "a", delayMs: 300 });
    const b = provider({ result: "b", delayMs: 200 });
    const c = provider({ result: "c", delayMs: 100 });
    factory
      .register("a", a, { priority: 1 })
      .register("b", b, { priority: 2 })
      .register("c", c, { priority: 3 });
    const pending = factory.generate("q", { race: 2 });
    await clock.advance(0);
    expect([a.calls, b.calls, c.calls]).toEqual([1, 1, 0]);
    await clock.advance(200);
    expect(await pending).toBe("b");
  });

  it("a hedged lane that fails is replaced by the next candidate; a caller's-fault error stops everything", async () => {
    const { factory, provider, clock } = setup({ retry: { maxAttempts: 1 } });
    const a = provider({ result: "a", delayMs: 1000 });
    const b = provider(fail("transient"));
    const c = provider({ result: "c", delayMs: 50 });
    factory
      .register("a", a, { priority: 1 })
      .register("b", b, { priority: 2 })
      .register("c", c, { priority: 3 });
    const pending = factory.generate("q", { hedge: { delayMs: 100 } });
    await clock.advance(150);
    expect(await pending).toBe("c");

    const { factory: f2, provider: p2, clock: clock2 } = setup();
    const slow = p2({ result: "slow", delayMs: 1000 });
    f2.register("slow", slow, { priority: 1 }).register("bad", p2(fail("invalid_request")), {
      priority: 2,
    });
    const stopped = f2.generate("q", { hedge: { delayMs: 100 } }).catch((e: unknown) => e);
    await clock2.advance(100);
    expect((await stopped) as Error).toMatchObject({ kind: "invalid_request" });
    expect(slow.contexts[0]?.signal.aborted).toBe(true);
  });

  it("skips a provider at maxConcurrency, or waits up to queueTimeoutMs for a slot", async () => {
    const { factory, provider, clock } = setup();
    const narrow = provider({ result: "narrow", delayMs: 1000 });
    const wide = provider({ result: "wide", delayMs: 10 });
    factory
      .register("narrow", narrow, { priority: 1, maxConcurrency: 1 })
      .register("wide", wide, { priority: 2 });
    const first = factory.generate("q");
    const second = factory.generateWithReport("q");
    await clock.advance(1000);
    expect(await first).toBe("narrow");
    const { result, report } = await second;
    expect(result).toBe("wide");
    expect(report.attempts[0]).toMatchObject({
      targetId: "narrow",
      outcome: "skipped",
      reason: "at_capacity",
    });

    factory.unregister("wide");
    factory.register("narrow", narrow, { maxConcurrency: 1, queueTimeoutMs: 2000 });
    const holder = factory.generate("q");
    const waiter = factory.generate("q");
    await clock.advance(1000);
    expect(await holder).toBe("narrow");
    await clock.advance(1000);
    expect(await waiter).toBe("narrow");
    expect(narrow.maxInFlight).toBe(1);
  });

  it("keeps a slot busy until an aborted provider really settles", async () => {
    const { factory, clock } = setup({ retry: { maxAttempts: 1 } });
    let release: () => void = () => undefined;
    let calls = 0;
    const stubborn = {
      generate: () => {
        calls++;
        return new Promise<string>((resolve) => {
          release = () => resolve("finally");
        });
      },
    };
    factory.register("stubborn", stubborn, { maxConcurrency: 1, timeoutMs: 100 });
    const first = factory.generate("q").catch((e: unknown) => e);
    await clock.advance(100);
    expect(await first).toBeInstanceOf(AllProvidersUnavailableError);
    const second = await factory.generate("q").catch((e: unknown) => e);
    expect(second).toBeInstanceOf(AllProvidersUnavailableError);
    expect(calls).toBe(1);
    release();
    await clock.advance(0);
    expect(factory.getMetrics().stubborn?.inFlight).toBe(0);
  });
});
