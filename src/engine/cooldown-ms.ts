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
  kind: "rate" | "quota" | "auth",
  retryAfterMs: number | undefined,
  options: CooldownOptions,
): number {
  if (retryAfterMs !== undefined) {
    const capMs = kind === "quota" ? options.quotaCooldownMs : options.maxCooldownMs;
    return Math.min(retryAfterMs, capMs);
  }
  if (kind === "rate") return options.rateLimitCooldownMs;
  return kind === "quota" ? options.quotaCooldownMs : options.authCooldownMs;
}
