import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration-text.js";

describe("parseDuration", () => {
  it("reads milliseconds and text with units", () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration("1500")).toBe(1500);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("10m")).toBe(600_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration(" 2h ")).toBe(7_200_000);
  });

  it("refuses anything else", () => {
    for (const value of [-1, Number.NaN, "10x", "m", "", "1 h", "-5s", null, {}, true]) {
      expect(parseDuration(value)).toBeUndefined();
    }
  });

  it("never throws, and reads back what it formats (to the second)", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const value = parseDuration(text);
        expect(value === undefined || value >= 0).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds * 1000))).toBe(seconds * 1000);
      }),
    );
  });

  it("formats short text for reports", () => {
    expect(formatDuration(250.4)).toBe("250ms");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(3_600_000)).toBe("1h");
  });
});
