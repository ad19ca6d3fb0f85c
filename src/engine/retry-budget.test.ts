import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { RetryBudget } from "./retry-budget.js";

describe("RetryBudget", () => {
  it("allows the floor on a quiet service, then a share of calls", () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ ratio: 0.2, windowMs: 10_000, minPerSecond: 0.3 }, clock);
    let allowed = 0;
    for (let i = 0; i < 10; i++) if (budget.tryRetry()) allowed++;
    expect(allowed).toBe(3);
    for (let i = 0; i < 50; i++) budget.recordCall();
    for (let i = 0; i < 50; i++) if (budget.tryRetry()) allowed++;
    expect(allowed).toBe(13);
  });

  it("refills as the window moves on", async () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ ratio: 0, windowMs: 1000, minPerSecond: 2 }, clock);
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    await clock.advance(1000);
    expect(budget.tryRetry()).toBe(true);
  });

  it("never lets retries in a window exceed ratio * calls + floor (property)", async () => {
    const event = fc.oneof(
      fc.constant({ type: "call" as const }),
      fc.constant({ type: "retry" as const }),
      fc.record({ type: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 400 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 300 }), async (events) => {
        const clock = new FakeClock(0);
        const options = { ratio: 0.2, windowMs: 1000, minPerSecond: 3 };
        const budget = new RetryBudget(options, clock);
        const log: { at: number; type: "call" | "retry" }[] = [];
        for (const item of events) {
          if (item.type === "advance") await clock.advance(item.ms);
          else if (item.type === "call") {
            budget.recordCall();
            log.push({ at: clock.now(), type: "call" });
          } else if (budget.tryRetry()) {
            log.push({ at: clock.now(), type: "retry" });
            // The budget counts in 10 buckets, so its window spans 90-100% of windowMs: retries
            // granted over the last 90% are bounded by calls seen over the whole window.
            const now = clock.now();
            const retries = log.filter(
              (entry) => entry.type === "retry" && entry.at > now - 0.9 * options.windowMs,
            ).length;
            const calls = log.filter(
              (entry) => entry.type === "call" && entry.at > now - options.windowMs,
            ).length;
            const floor = (options.minPerSecond * options.windowMs) / 1000;
            expect(retries).toBeLessThanOrEqual(floor + options.ratio * calls + 1e-9);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
