/**
 * How long a response asks us to wait, in ms: `retry-after-ms` (milliseconds) first, then
 * `retry-after` as seconds or as an HTTP date (relative to `nowMs`, a wall-clock `Date.now()` value).
 * Negative waits become 0; unreadable values are ignored.
 */
export function parseRetryAfterMs(
  headers: Record<string, string>,
  nowMs: number,
): number | undefined {
  const milliseconds = parseNonNegativeNumber(headers["retry-after-ms"]);
  if (milliseconds !== undefined) return milliseconds;
  const value = headers["retry-after"]?.trim();
  if (value === undefined || value === "") return undefined;
  const seconds = parseNonNegativeNumber(value);
  if (seconds !== undefined) return seconds * 1000;
  const dateMs = Date.parse(value);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

function parseNonNegativeNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === "" || !/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000_001,
};

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/y;

/**
 * A Go-style duration ("6m0s", "1s", "250ms", "1h2m3.5s") in ms, or undefined when the text is not
 * one. A bare number is not accepted: without a unit it could mean anything.
 */
export function parseDurationText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (trimmed === "0") return 0;
  let totalMs = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < trimmed.length) {
    const match = DURATION_PART.exec(trimmed);
    if (match === null) return undefined;
    const unitMs = UNIT_MS[match[2] ?? ""];
    if (unitMs === undefined) return undefined;
    totalMs += Number(match[1]) * unitMs;
  }
  return totalMs;
}
