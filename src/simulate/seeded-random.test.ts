import { describe, expect, it } from "vitest";
import { sampleLatency } from "./sample-latency.js";
import { SeededRandom } from "./seeded-random.js";

const draws = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => random.next());

describe("SeededRandom", () => {
  it("gives the same sequence for the same seed and another for another seed", () => {
    expect(draws(new SeededRandom(42), 5)).toEqual(draws(new SeededRandom(42), 5));
    expect(draws(new SeededRandom(42), 5)).not.toEqual(draws(new SeededRandom(43), 5));
    for (const value of draws(new SeededRandom(1), 1000)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it("derives child sources from the seed and label, not from draws so far", () => {
    const a = new SeededRandom(9);
    const b = new SeededRandom(9);
    draws(b, 10);
    expect(draws(a.derive("x"), 3)).toEqual(draws(b.derive("x"), 3));
    expect(draws(a.derive("x"), 3)).not.toEqual(draws(a.derive("y"), 3));
  });

  it("draws exponential waits with the given mean", () => {
    const random = new SeededRandom(3);
    let sum = 0;
    for (let index = 0; index < 20_000; index++) sum += random.exponential(50);
    expect(sum / 20_000).toBeGreaterThan(48);
    expect(sum / 20_000).toBeLessThan(52);
  });

  it("fits a lognormal to the median and p99", () => {
    const random = new SeededRandom(5);
    const spec = { kind: "lognormal", medianMs: 800, p99Ms: 4000 } as const;
    const values = Array.from({ length: 40_000 }, () => sampleLatency(spec, random)).sort(
      (a, b) => a - b,
    );
    expect(values[20_000]).toBeGreaterThan(760);
    expect(values[20_000]).toBeLessThan(840);
    expect(values[39_600]).toBeGreaterThan(3600);
    expect(values[39_600]).toBeLessThan(4400);
    expect(sampleLatency({ kind: "fixed", ms: 250 }, random)).toBe(250);
  });
});
