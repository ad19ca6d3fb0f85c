/** The limits the Messages API reports in `anthropic-ratelimit-<limit>-reset` headers. */
const LIMITS = ["requests", "tokens", "input-tokens", "output-tokens"] as const;

const RFC_3339_START = /^\d{4}-\d{2}-\d{2}T/;

/**
 * How long until the rate limit that stopped us relaxes, from the `anthropic-ratelimit-*-reset`
 * headers (RFC 3339 times, read against the wall clock `nowMs`). The limits reported as exhausted
 * (`-remaining: 0`) decide; when none is, a request simply needed more than was left, so the latest
 * reset is the safe wait. Undefined when no reset header can be read.
 */
export function parseRateLimitResetMs(
  headers: Record<string, string>,
  nowMs: number,
): number | undefined {
  let latestMs: number | undefined;
  let latestExhaustedMs: number | undefined;
  for (const limit of LIMITS) {
    const reset = headers[`anthropic-ratelimit-${limit}-reset`]?.trim();
    if (reset === undefined || !RFC_3339_START.test(reset)) continue;
    const resetAtMs = Date.parse(reset);
    if (Number.isNaN(resetAtMs)) continue;
    const waitMs = Math.max(0, resetAtMs - nowMs);
    latestMs = Math.max(latestMs ?? 0, waitMs);
    if (headers[`anthropic-ratelimit-${limit}-remaining`]?.trim() === "0") {
      latestExhaustedMs = Math.max(latestExhaustedMs ?? 0, waitMs);
    }
  }
  return latestExhaustedMs ?? latestMs;
}

const REGAIN_ACCESS = /regain access on (\d{4})-(\d{2})-(\d{2}) at (\d{2}):(\d{2}) UTC/i;

/**
 * A spend-limit message names when access resumes ("You will regain access on 2026-09-01 at 00:00
 * UTC."); the wait until then, or undefined when the message names no such time.
 */
export function parseRegainAccessMs(message: string, nowMs: number): number | undefined {
  const match = REGAIN_ACCESS.exec(message);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute] = match.map(Number);
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const atMs = Date.UTC(year, month - 1, day, hour ?? 0, minute ?? 0);
  return Number.isNaN(atMs) ? undefined : Math.max(0, atMs - nowMs);
}
