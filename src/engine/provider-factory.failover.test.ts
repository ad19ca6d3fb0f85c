import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { fail, settle, setup } from "./test-kit.test-helper.js";

describe("ProviderFactory: order and failover", () => {
  it("tries lower priority numbers first and reports every attempt", async () => {
    const { factory, provider, clock } = setup({ retry: { maxAttempts: 1 } });
    const first = provider(fail("transient", { status: 503 }));
    const second = provider({ result: "from second" });
    factory.register("second", second, { priority: 2 }).register("first", first, { priority: 1 });
    const { result, report } = await settle(clock, factory.generateWithReport("q"));
    expect(result).toBe("from second");
    expect(report.targetId).toBe("second");
    expect(report.attempts.map((a) => [a.targetId, a.outcome])).toEqual([
      ["first", "failure"],
      ["second", "success"],
    ]);
    expect(first.requests).toEqual(["q"]);
  });

  it("retries a transient failure on the same provider with backoff, then fails over", async () => {
    const { factory, provider, clock } = setup({
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    });
    const flaky = provider(fail("transient"));
    const backup = provider({ result: "ok" });
    factory.register("flaky", flaky, { priority: 1 }).register("backup", backup, { priority: 2 });
    const pending = factory.generate("q");
    await clock.advance(0);
    expect(flaky.calls).toBe(1);
    await clock.advance(49); // full jitter with random 0.5: first retry after 50 ms
    expect(flaky.calls).toBe(1);
    await clock.advance(1);
    expect(flaky.calls).toBe(2);
    await clock.advance(100); // second retry after 100 ms (0.5 * 200)
    expect(flaky.calls).toBe(3);
    expect(await pending).toBe("ok");
    expect(backup.calls).toBe(1);
  });

  it("honours Retry-After on a transient error when it is within the backoff cap", async () => {
    const { factory, provider, clock } = setup({
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 5000 },
    });
    const busy = provider({ result: "ok" }, [
      fail("transient", { status: 503, retryAfterMs: 3000 }),
    ]);
    factory.register("busy", busy);
    const pending = factory.generate("q");
    await clock.advance(2999);
    expect(busy.calls).toBe(1);
    await clock.advance(1);
    expect(await pending).toBe("ok");
  });

  it("on a rate limit: no breaker failure, cooldown until Retry-After, immediate failover", async () => {
    const { factory, provider, clock } = setup({ failureThreshold: 1 });
    const limited = provider(fail("rate_limited", { status: 429, retryAfterMs: 30_000 }));
    const other = provider({ result: "other" });
    factory.register("limited", limited, { priority: 1 }).register("other", other, { priority: 2 });
    const cooldowns: unknown[] = [];
    factory.on("cooldown", (event) => cooldowns.push(event));
    expect(await factory.generate("q")).toBe("other");
    expect(cooldowns).toEqual([
      { targetId: "limited", reason: "rate_limited", durationMs: 30_000 },
    ]);
    expect(factory.getMetrics().limited?.circuitState).toBe("closed");
    expect(factory.getStatus().limited).toBe("cooling_down");
    expect(await factory.generate("q")).toBe("other");
    expect(limited.calls).toBe(1);
    await clock.advance(30_000);
    await factory.generate("q");
    expect(limited.calls).toBe(2);
  });

  it("waits for a rate-limited provider only when the wait is short and nothing else is left", async () => {
    const { factory, provider, clock } = setup({ maxRetryAfterWaitMs: 2000 });
    const only = provider({ result: "later" }, [fail("rate_limited", { retryAfterMs: 1500 })]);
    factory.register("only", only);
    const pending = factory.generate("q");
    await clock.advance(1499);
    expect(only.calls).toBe(1);
    await clock.advance(1);
    expect(await pending).toBe("later");

    const long = provider({ result: "never" }, [fail("rate_limited", { retryAfterMs: 60_000 })]);
    factory.unregister("only");
    factory.register("long", long);
    const error = await factory.generate("q").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllProvidersUnavailableError);
    expect((error as AllProvidersUnavailableError).retryAfterMs).toBe(60_000);
    expect(long.calls).toBe(1);
  });

  it("puts a provider with an exhausted quota in a long cooldown and fails over", async () => {
    const { factory, provider, clock } = setup({ quotaCooldownMs: 3_600_000 });
    const broke = provider(fail("quota_exhausted", { status: 429 }));
    const backup = provider({ result: "backup" });
    factory.register("broke", broke, { priority: 1 }).register("backup", backup, { priority: 2 });
    const events: unknown[] = [];
    factory.on("cooldown", (event) => events.push(event));
    expect(await factory.generate("q")).toBe("backup");
    expect(events).toEqual([
      { targetId: "broke", reason: "quota_exhausted", durationMs: 3_600_000 },
    ]);
    await clock.advance(3_599_000);
    await factory.generate("q");
    expect(broke.calls).toBe(1);
    await clock.advance(1000);
    await factory.generate("q");
    expect(broke.calls).toBe(2);
  });

  it.each(["auth", "not_found", "context_length"] as const)(
    "fails over on %s without retrying",
    async (kind) => {
      const { factory, provider } = setup({ retry: { maxAttempts: 3 } });
      const bad = provider(fail(kind));
      const good = provider({ result: "good" });
      factory.register("bad", bad, { priority: 1 }).register("good", good, { priority: 2 });
      expect(await factory.generate("q")).toBe("good");
      expect(bad.calls).toBe(1);
    },
  );

  it.each(["invalid_request", "content_filter"] as const)(
    "stops at once on the caller's fault (%s) and raises the original error",
    async (kind) => {
      const { factory, provider } = setup();
      const original = new ProviderError("bad input", { kind, status: 400 });
      const first = provider({ error: original });
      const second = provider({ result: "unused" });
      factory.register("first", first, { priority: 1 }).register("second", second, { priority: 2 });
      await expect(factory.generate("q")).rejects.toBe(original);
      expect(second.calls).toBe(0);
      expect(factory.getMetrics().first?.circuitState).toBe("closed");
    },
  );

  it("fails over on a kind named in failOverOn, without breaker, cooldown or retry", async () => {
    const { factory, provider } = setup({
      failOverOn: ["content_filter"],
      failureThreshold: 1,
      retry: { maxAttempts: 3 },
    });
    const refusing = provider(fail("content_filter", { status: 400 }));
    const other = provider({ result: "other" });
    factory.register("refusing", refusing, { priority: 1 }).register("other", other, {
      priority: 2,
    });
    const cooldowns: unknown[] = [];
    factory.on("cooldown", (event) => cooldowns.push(event));
    for (let call = 0; call < 3; call++) expect(await factory.generate("q")).toBe("other");
    expect(refusing.calls).toBe(3);
    expect(cooldowns).toEqual([]);
    expect(factory.getMetrics().refusing?.circuitState).toBe("closed");
    expect(factory.getStatus().refusing).not.toBe("cooling_down");
    // Other stopping kinds still stop.
    const invalid = new ProviderError("bad input", { kind: "invalid_request", status: 400 });
    factory.unregister("refusing");
    factory.register("invalid", provider({ error: invalid }), { priority: 0 });
    await expect(factory.generate("q")).rejects.toBe(invalid);
  });

  it("classifies plain errors with a status, and lets `classify` override", async () => {
    const { factory, provider } = setup({
      classify: (error) => ((error as Error).message === "teapot" ? "transient" : undefined),
      retry: { maxAttempts: 1 },
    });
    const plain = provider({ error: Object.assign(new Error("teapot"), { status: 418 }) });
    const good = provider({ result: "good" });
    factory.register("plain", plain, { priority: 1 }).register("good", good, { priority: 2 });
    expect(await factory.generate("q")).toBe("good");
  });

  it("raises AllProvidersUnavailableError naming every provider and reason", async () => {
    const { factory, provider, clock } = setup({ retry: { maxAttempts: 1 } });
    factory.register("a", provider(fail("transient", { status: 502 })), { priority: 1 });
    factory.register("b", provider(fail("auth", { status: 401 })), { priority: 2 });
    const failures: Record<string, unknown>[] = [];
    factory.onAllFailed((errors) => {
      failures.push({ ...errors });
    });
    const error = (await settle(clock, factory.generate("q")).catch(
      (e: unknown) => e,
    )) as AllProvidersUnavailableError;
    expect(error).toBeInstanceOf(AllProvidersUnavailableError);
    expect(error.message).toContain("a failed (transient 502)");
    expect(error.message).toContain("b failed (auth 401)");
    expect(Object.keys(error.errors)).toEqual(["a", "b"]);
    expect(error.attempts).toHaveLength(2);
    expect(Object.keys(failures[0] ?? {})).toEqual(["a", "b"]);
  });

  it("fails fast with the earliest reopen time when every circuit is open", async () => {
    const { factory, provider, clock } = setup({
      failureThreshold: 1,
      recoveryTimeoutMs: 10_000,
      retry: { maxAttempts: 1 },
    });
    const a = provider(fail("transient"));
    const b = provider(fail("transient"));
    factory.register("a", a).register("b", b);
    await factory.generate("q").catch(() => undefined);
    await clock.advance(4000);
    const error = (await factory
      .generate("q")
      .catch((e: unknown) => e)) as AllProvidersUnavailableError;
    expect(error.retryAfterMs).toBe(6000);
    expect(error.attempts.map((a) => a.outcome)).toEqual(["skipped", "skipped"]);
    expect(error.message).toContain("circuit open (available in 6000 ms)");
    expect(a.calls + b.calls).toBe(2);
  });

  it("emits onFallback with from, to and the error", async () => {
    const { factory, provider } = setup({ retry: { maxAttempts: 1 } });
    const boom = new ProviderError("boom", { kind: "transient" });
    factory.register("a", provider({ error: boom }), { priority: 1 });
    factory.register("b", provider({ result: "b" }), { priority: 2 });
    const seen: unknown[] = [];
    factory.onFallback((from, to, error) => {
      seen.push([from, to, error]);
    });
    await factory.generate("q");
    expect(seen).toEqual([["a", "b", boom]]);
  });

  it("takes a key whose credentials are rejected out of rotation for authCooldownMs", async () => {
    const { factory, provider, clock } = setup({ authCooldownMs: 600_000 });
    const revoked = provider(fail("auth", { status: 401 }));
    factory.register("revoked", revoked, { priority: 1 });
    factory.register("sibling", provider({ result: "sibling" }), { priority: 2 });
    const cooldowns: unknown[] = [];
    factory.on("cooldown", (event) => cooldowns.push(event));
    expect(await factory.generate("q")).toBe("sibling");
    expect(cooldowns).toEqual([
      { targetId: "revoked", reason: "auth_failed", durationMs: 600_000 },
    ]);
    await clock.advance(599_000);
    await factory.generate("q");
    expect(revoked.calls).toBe(1);
    await clock.advance(1000);
    await factory.generate("q");
    expect(revoked.calls).toBe(2);
  });
});
