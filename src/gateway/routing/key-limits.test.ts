import { describe, expect, it } from "vitest";
import { KeyLimits } from "./key-limits.js";

describe("KeyLimits", () => {
  it("refuses past the rpm limit with the wait until the window frees, then admits again", () => {
    let now = 0;
    const limits = new KeyLimits("key main of openai-main", 2, undefined, () => now);
    limits.admit();
    now = 10_000;
    limits.admit();
    now = 20_000;
    expect(() => limits.admit()).toThrow(
      expect.objectContaining({ kind: "rate_limited", retryAfterMs: 40_000 }),
    );
    now = 60_000;
    expect(() => limits.admit()).not.toThrow();
  });

  it("refuses once the tokens of the last minute reach the tpm limit", () => {
    let now = 0;
    const limits = new KeyLimits("k", undefined, 100, () => now);
    limits.admit();
    limits.recordTokens(60);
    limits.admit();
    limits.recordTokens(50);
    now = 30_000;
    expect(() => limits.admit()).toThrow(/tpm limit of 100/);
    now = 60_001;
    expect(() => limits.admit()).not.toThrow();
  });
});
