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
    expect(cooldownMs("rate_limited", undefined, OPTIONS)).toBe(1000);
    expect(cooldownMs("quota_exhausted", undefined, OPTIONS)).toBe(3_600_000);
    expect(cooldownMs("auth_failed", undefined, OPTIONS)).toBe(600_000);
  });

  it("takes the wait a provider asks for, up to the cap", () => {
    expect(cooldownMs("rate_limited", 20_000, OPTIONS)).toBe(20_000);
    expect(cooldownMs("rate_limited", 1e12, OPTIONS)).toBe(300_000);
    expect(cooldownMs("auth_failed", 1e12, OPTIONS)).toBe(300_000);
    expect(cooldownMs("quota_exhausted", 7_200_000, OPTIONS)).toBe(3_600_000);
    expect(cooldownMs("quota_exhausted", 60_000, OPTIONS)).toBe(60_000);
  });
});
