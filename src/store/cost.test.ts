import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeCost, costOf, findPrice, formatUsd, type PricingTable } from "./cost.js";

const pricing: PricingTable = {
  "model-a": { input: 2.5, output: 10, cachedInput: 1.25 },
  "model-b": { input: 3, output: 15 },
};

describe("cost", () => {
  it("prices input and output per million tokens", () => {
    expect(computeCost(pricing, "model-b", { inputTokens: 1_000_000, outputTokens: 200_000 })).toBe(
      6,
    );
    expect(computeCost(pricing, "model-b", { inputTokens: 1000, outputTokens: 0 })).toBeCloseTo(
      0.003,
      12,
    );
  });

  it("prices cached input at cachedInput, and as plain input when there is no cachedInput", () => {
    const tokens = { inputTokens: 1_000_000, cachedInputTokens: 600_000, outputTokens: 0 };
    // 400k x 2.5 + 600k x 1.25
    expect(computeCost(pricing, "model-a", tokens)).toBeCloseTo(1.75, 12);
    expect(computeCost(pricing, "model-b", tokens)).toBeCloseTo(3, 12);
  });

  it("never counts more cached tokens than input tokens, nor negative counts", () => {
    const price = { input: 1, output: 1, cachedInput: 0 };
    expect(costOf(price, { inputTokens: 100, cachedInputTokens: 500, outputTokens: -5 })).toBe(0);
    expect(costOf(price, {})).toBe(0);
  });

  it("is undefined for a model without a price", () => {
    expect(computeCost(pricing, "model-z", { inputTokens: 10 })).toBeUndefined();
    expect(computeCost(pricing, undefined, { inputTokens: 10 })).toBeUndefined();
    expect(computeCost(pricing, "toString", { inputTokens: 10 })).toBeUndefined();
  });

  it("finds the first model the table prices", () => {
    expect(findPrice(pricing, "model-z", undefined, "model-b", "model-a")).toBe(pricing["model-b"]);
    expect(findPrice(pricing)).toBeUndefined();
  });

  it("never costs less with more tokens, and cached input never costs more than plain input", () => {
    const count = fc.integer({ min: 0, max: 10_000_000 });
    const rate = fc.double({ min: 0, max: 100, noNaN: true });
    fc.assert(
      fc.property(count, count, count, rate, rate, rate, (input, cached, output, a, b, c) => {
        const price = { input: Math.max(a, c), output: b, cachedInput: Math.min(a, c) };
        const tokens = { inputTokens: input, cachedInputTokens: cached, outputTokens: output };
        const cost = costOf(price, tokens);
        expect(cost).toBeGreaterThanOrEqual(0);
        expect(costOf(price, { ...tokens, outputTokens: output + 1 })).toBeGreaterThanOrEqual(cost);
        expect(costOf(price, { ...tokens, cachedInputTokens: 0 })).toBeGreaterThanOrEqual(cost);
      }),
    );
  });

  it("formats dollars, with four decimals below a cent", () => {
    expect(formatUsd(12.345)).toBe("$12.35");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(0.0042)).toBe("$0.0042");
  });
});
