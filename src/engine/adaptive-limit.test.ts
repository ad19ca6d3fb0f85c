import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AdaptiveLimit } from "./adaptive-limit.js";

describe("AdaptiveLimit", () => {
  it("halves on pushback and grows by one while busy and fast", () => {
    const limit = new AdaptiveLimit({ maxLimit: 16, initialLimit: 8 });
    expect(limit.onPushback()).toBe(4);
    expect(limit.onSuccess(100, 3)).toBe(5);
    expect(limit.onSuccess(100, 0)).toBe(5);
    expect(limit.onSuccess(100, 4)).toBe(6);
  });

  it("shrinks when latency rises well above the no-load latency", () => {
    const limit = new AdaptiveLimit({ maxLimit: 10 });
    limit.onSuccess(100, 0);
    expect(limit.onSuccess(150, 0)).toBe(10);
    expect(limit.onSuccess(250, 0)).toBe(5);
  });

  it("always stays within its bounds (property)", () => {
    const sample = fc.oneof(
      fc.record({
        type: fc.constant("success" as const),
        latencyMs: fc.double({ min: 0, max: 10_000, noNaN: true }),
        inFlight: fc.nat(100),
      }),
      fc.constant({ type: "pushback" as const }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(sample),
        (maxLimit, minLimit, samples) => {
          const limit = new AdaptiveLimit({ maxLimit, minLimit });
          const floor = Math.min(minLimit, maxLimit);
          for (const item of samples) {
            const value =
              item.type === "pushback"
                ? limit.onPushback()
                : limit.onSuccess(item.latencyMs, item.inFlight);
            expect(value).toBeGreaterThanOrEqual(floor);
            expect(value).toBeLessThanOrEqual(maxLimit);
            expect(Number.isInteger(value)).toBe(true);
          }
        },
      ),
    );
  });
});
