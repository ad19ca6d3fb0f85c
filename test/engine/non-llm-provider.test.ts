import { describe, expect, it } from "vitest";
import { type Provider, type ProviderContext, ProviderFactory } from "../../src/engine/index.js";
import { HedgeLostError, ProviderError } from "../../src/errors/index.js";
import { FakeClock } from "../../src/testing/fake-clock.js";

// The engine knows nothing about chat: here it routes an image generator, a provider type of our
// own, with failover, circuit breaking and hedging. No LLM type is imported.

interface ImageRequest {
  prompt: string;
  size: "512x512" | "1024x1024";
}

interface GeneratedImage {
  /** Which model drew it. */
  model: string;
  format: "png";
  bytes: Uint8Array;
}

/** One scripted answer: after `delayMs` of fake time, an image or `error`. */
interface Step {
  delayMs?: number;
  error?: ProviderError;
}

/** A fake image model on fake time, answering with its steps in turn, then `fallback`. */
function imageModel(clock: FakeClock, model: string, fallback: Step, steps: Step[] = []) {
  const contexts: ProviderContext[] = [];
  const provider: Provider<ImageRequest, GeneratedImage> = {
    generate(request, context) {
      contexts.push(context);
      const step = steps.shift() ?? fallback;
      return new Promise<GeneratedImage>((resolve, reject) => {
        const answer = () => {
          if (step.error) reject(step.error);
          else resolve({ model, format: "png", bytes: pngOf(`${model}:${request.prompt}`) });
        };
        const timer = clock.setTimeout(answer, step.delayMs ?? 0);
        context.signal.addEventListener("abort", () => {
          clock.clearTimeout(timer);
          reject(context.signal.reason);
        });
      });
    },
  };
  return { provider, contexts };
}

/** A PNG signature followed by a payload: enough bytes to tell images apart. */
function pngOf(payload: string): Uint8Array {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return Uint8Array.from([...signature, ...new TextEncoder().encode(payload)]);
}

const unavailable = (status: number) =>
  new ProviderError(`image model answered ${status}`, { kind: "transient", status });

function setup() {
  const clock = new FakeClock();
  const factory = new ProviderFactory<ImageRequest, GeneratedImage>({
    clock,
    random: () => 0.5,
    retryBudget: false,
    retry: { maxAttempts: 1 },
  });
  return { clock, factory };
}

/** Runs a call to completion while moving fake time on. */
async function settle<T>(clock: FakeClock, promise: Promise<T>): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let step = 0; step < 100 && !done; step++) await clock.advance(1000);
  return tracked;
}

const request: ImageRequest = { prompt: "a lighthouse at dusk", size: "1024x1024" };

describe("a non-LLM provider type through ProviderFactory", () => {
  it("fails over from a failing image model to the next", async () => {
    const { clock, factory } = setup();
    const primary = imageModel(clock, "painter-xl", { error: unavailable(503) });
    const backup = imageModel(clock, "sketcher-2", { delayMs: 200 });
    factory
      .register("painter", primary.provider, { priority: 1 })
      .register("sketcher", backup.provider, { priority: 2 });
    const { result, report } = await settle(clock, factory.generateWithReport(request));
    expect(result.model).toBe("sketcher-2");
    expect(result.bytes.slice(0, 4)).toEqual(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]));
    expect(new TextDecoder().decode(result.bytes.slice(8))).toBe("sketcher-2:a lighthouse at dusk");
    expect(report.targetId).toBe("sketcher");
    expect(report.attempts).toMatchObject([
      { targetId: "painter", outcome: "failure", kind: "transient", status: 503 },
      { targetId: "sketcher", outcome: "success" },
    ]);
  });

  it("does not fail over a prompt refused by a safety system", async () => {
    const { clock, factory } = setup();
    const refusal = new ProviderError("prompt refused", { kind: "content_filter", status: 400 });
    const primary = imageModel(clock, "painter-xl", { error: refusal });
    const backup = imageModel(clock, "sketcher-2", {});
    factory
      .register("painter", primary.provider, { priority: 1 })
      .register("sketcher", backup.provider, { priority: 2 });
    await expect(settle(clock, factory.generate(request))).rejects.toBe(refusal);
    expect(backup.contexts).toHaveLength(0);
  });

  it("opens the circuit of a failing model, skips it, and closes it after a good trial", async () => {
    const { clock, factory } = setup();
    const primary = imageModel(clock, "painter-xl", {}, [
      { error: unavailable(500) },
      { error: unavailable(502) },
    ]);
    const backup = imageModel(clock, "sketcher-2", {});
    factory
      .register("painter", primary.provider, {
        priority: 1,
        failureThreshold: 2,
        recoveryTimeoutMs: 30_000,
        halfOpenRequests: 1,
      })
      .register("sketcher", backup.provider, { priority: 2 });

    for (let call = 0; call < 2; call++) {
      expect((await settle(clock, factory.generate(request))).model).toBe("sketcher-2");
    }
    expect(factory.getStatus().painter).toBe("open");

    const skipped = await settle(clock, factory.generateWithReport(request));
    expect(skipped.report.attempts[0]).toMatchObject({
      targetId: "painter",
      outcome: "skipped",
      reason: "circuit_open",
    });
    expect(primary.contexts).toHaveLength(2);

    await clock.advance(30_000);
    const trial = await settle(clock, factory.generateWithReport(request));
    expect(trial.result.model).toBe("painter-xl");
    expect(primary.contexts).toHaveLength(3);
    expect(factory.getStatus().painter).toBe("healthy");
  });

  it("hedges a slow model: the backup starts after delayMs, wins, and the slow one is aborted", async () => {
    const { clock, factory } = setup();
    const slow = imageModel(clock, "painter-xl", { delayMs: 8_000 });
    const quick = imageModel(clock, "sketcher-2", { delayMs: 300 });
    factory
      .register("painter", slow.provider, { priority: 1 })
      .register("sketcher", quick.provider, { priority: 2 });
    const pending = factory.generateWithReport(request, { hedge: { delayMs: 1_000 } });
    await clock.advance(999);
    expect(quick.contexts).toHaveLength(0);
    await clock.advance(301);
    const { result, report } = await pending;
    expect(result.model).toBe("sketcher-2");
    expect(report.hedged).toBe(true);
    expect(report.latencyMs).toBe(1_300);
    expect(slow.contexts[0]?.signal.reason).toBeInstanceOf(HedgeLostError);
    expect(report.attempts.map((attempt) => [attempt.targetId, attempt.outcome])).toEqual([
      ["sketcher", "success"],
      ["painter", "aborted"],
    ]);
  });
});
