import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { StreamInterruptedError } from "../errors/stream-interrupted-error.js";
import { fail, setup } from "./test-kit.test-helper.js";

async function collect(
  stream: AsyncIterable<string>,
): Promise<{ chunks: string[]; error: unknown }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

describe("ProviderFactory: streaming", () => {
  it("fails over transparently before the first chunk", async () => {
    const { factory, provider } = setup({ retry: { maxAttempts: 1 } });
    factory.register("a", provider(fail("transient", { status: 503 })), { priority: 1 });
    factory.register("b", provider({ chunks: ["he", "llo"] }), { priority: 2 });
    const { chunks, error } = await collect(factory.stream("q"));
    expect(error).toBeUndefined();
    expect(chunks).toEqual(["he", "llo"]);
  });

  it("after the first chunk, a failure ends the stream with StreamInterruptedError and counts against the provider", async () => {
    const { factory, provider } = setup({ failureThreshold: 1 });
    const cause = new ProviderError("connection reset", { kind: "transient" });
    const a = provider({ chunks: ["par", "tial"], errorAfter: cause });
    const b = provider({ chunks: ["never"] });
    factory.register("a", a, { priority: 1 }).register("b", b, { priority: 2 });
    const { chunks, error } = await collect(factory.stream("q"));
    expect(chunks).toEqual(["par", "tial"]);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).cause).toBe(cause);
    expect((error as StreamInterruptedError).chunksDelivered).toBe(2);
    expect(b.calls).toBe(0);
    expect(factory.getMetrics().a).toMatchObject({
      failedRequests: 1,
      circuitState: "open",
      inFlight: 0,
    });
  });

  it("openStream names the provider before the first chunk is read, and reports the attempts", async () => {
    const { factory, provider } = setup({ retry: { maxAttempts: 1 } });
    factory.register("a", provider(fail("rate_limited", { retryAfterMs: 5000 })), { priority: 1 });
    factory.register("b", provider({ chunks: ["x"] }), { priority: 2 });
    const session = await factory.openStream("q");
    expect(session.targetId).toBe("b");
    expect(session.report.attempts.map((a) => [a.targetId, a.outcome])).toEqual([
      ["a", "failure"],
      ["b", "success"],
    ]);
    expect((await collect(session)).chunks).toEqual(["x"]);
    expect(factory.getMetrics().b).toMatchObject({ successfulRequests: 1, inFlight: 0 });
  });

  it("applies the attempt timeout to the first chunk and the deadline to the whole stream", async () => {
    const { factory, provider, clock } = setup({ retry: { maxAttempts: 1 } });
    const slowStart = provider({ chunks: ["late"], delayMs: 2000 });
    const dribble = provider({ chunks: ["a", "b", "c", "d"], chunkDelayMs: 400 });
    factory.register("slowStart", slowStart, { priority: 1, timeoutMs: 1000 });
    factory.register("dribble", dribble, { priority: 2, timeoutMs: 1000 });
    const result = collect(factory.stream("q", { deadlineMs: 2000 }));
    await clock.advance(3000);
    const { chunks, error } = await result;
    expect(chunks).toEqual(["a", "b", "c"]);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(dribble.contexts[0]?.signal.aborted).toBe(true);
  });

  it("a consumer that stops early releases the provider without counting a failure", async () => {
    const { factory, provider } = setup();
    const p = provider({ chunks: ["1", "2", "3"] });
    factory.register("p", p, { maxConcurrency: 1 });
    for await (const chunk of factory.stream("q")) {
      if (chunk === "1") break;
    }
    expect(factory.getMetrics().p).toMatchObject({ inFlight: 0, failedRequests: 0 });
    expect(p.contexts[0]?.signal.aborted).toBe(true);
    expect((await collect(factory.stream("q"))).chunks).toEqual(["1", "2", "3"]);
  });

  it("caller cancel mid-stream ends it with signal.reason", async () => {
    const { factory, provider, clock } = setup();
    factory.register("p", provider({ chunks: ["1", "2", "3"], chunkDelayMs: 100 }));
    const controller = new AbortController();
    const chunks: string[] = [];
    const reading = (async () => {
      for await (const chunk of factory.stream("q", { signal: controller.signal })) {
        chunks.push(chunk);
        if (chunk === "1") controller.abort("bye");
      }
    })().catch((e: unknown) => e);
    await clock.advance(1000);
    expect(await reading).toBe("bye");
    expect(chunks).toEqual(["1"]);
    expect(factory.getMetrics().p).toMatchObject({
      inFlight: 0,
      failedRequests: 0,
      circuitState: "closed",
    });
  });

  it("raises AllProvidersUnavailableError when nobody produced a first chunk", async () => {
    const { factory, provider } = setup({ retry: { maxAttempts: 1 } });
    factory.register("a", provider(fail("transient")));
    await expect(collect(factory.stream("q"))).resolves.toMatchObject({
      error: expect.any(AllProvidersUnavailableError),
    });
  });

  it("hedges streams on the first chunk and closes the losing stream", async () => {
    const { factory, provider, clock } = setup();
    const slow = provider({ chunks: ["slow"], delayMs: 5000 });
    const quick = provider({ chunks: ["quick"], delayMs: 10 });
    factory.register("slow", slow, { priority: 1 }).register("quick", quick, { priority: 2 });
    const result = collect(factory.stream("q", { hedge: { delayMs: 100 } }));
    await clock.advance(200);
    expect((await result).chunks).toEqual(["quick"]);
    expect(slow.contexts[0]?.signal.aborted).toBe(true);
    await clock.advance(10_000);
    expect(factory.getMetrics().slow?.inFlight).toBe(0);
  });
});
