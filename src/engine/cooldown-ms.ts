import type { CooldownReason } from "../errors/attempt-record.js";
import type { ResolvedTargetOptions } from "./options.js";

type CooldownOptions = Pick<
  ResolvedTargetOptions,
  "rateLimitCooldownMs" | "quotaCooldownMs" | "authCooldownMs" | "maxCooldownMs"
>;

/**
 * How long a provider rests after a failure with a cooldown: the wait it asked for (`retryAfterMs`),
 * capped (at `quotaCooldownMs` for a quota, at `maxCooldownMs` for anything else) so one huge
 * `retry-after` cannot take it out for days; else the configured cooldown for that kind.
 */
export function cooldownMs(
  reason: CooldownReason,
  retryAfterMs: number | undefined,
  options: CooldownOptions,
): number {
  if (retryAfterMs !== undefined) {
    const capMs = reason === "quota_exhausted" ? options.quotaCooldownMs : options.maxCooldownMs;
    return Math.min(retryAfterMs, capMs);
  }
  switch (reason) {
    case "rate_limited":
      return options.rateLimitCooldownMs;
    case "quota_exhausted":
      return options.quotaCooldownMs;
    case "auth_failed":
      return options.authCooldownMs;
  }
}
