import { describe, expect, it } from "vitest";
import { cooldownMs } from "./cooldown-ms.js";

const OPTIONS = {
  rateLimitCooldownMs: 1000,
  quotaCooldownMs: 3_600_000,
  authCooldownMs: 600_000,
  maxCooldownMs: 300_000,
};

describe("cooldownMs", () => {
  it("takes the configured cooldown when the provider named no wait", () => {
    expect(cooldownMs("rate", undefined, OPTIONS)).toBe(1000);
    expect(cooldownMs("quota", undefined, OPTIONS)).toBe(3_600_000);
    expect(cooldownMs("auth", undefined, OPTIONS)).toBe(600_000);
  });

  it("takes the wait a provider asks for, up to the cap", () => {
    expect(cooldownMs("rate", 20_000, OPTIONS)).toBe(20_000);
    expect(cooldownMs("rate", 1e12, OPTIONS)).toBe(300_000);
    expect(cooldownMs("auth", 1e12, OPTIONS)).toBe(300_000);
    expect(cooldownMs("quota", 7_200_000, OPTIONS)).toBe(3_600_000);
    expect(cooldownMs("quota", 60_000, OPTIONS)).toBe(60_000);
  });
});
