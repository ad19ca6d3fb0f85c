const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^\s*(\d+(\.\d+)?(ms|s|m|h)\s*)+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * Milliseconds from a scenario's time value: a number of milliseconds (`90000`), or text with units
 * (`"500ms"`, `"90s"`, `"10m"`, `"1h"`, `"1h30m"`). Returns `undefined` for anything else.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  if (!WHOLE.test(value)) return undefined;
  let total = 0;
  for (const match of value.matchAll(PART)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] ?? 1);
  }
  return total;
}

/** `90000` -> `1m30s`, `1500` -> `1.5s`, `250` -> `250ms`: short text for reports. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1000)}s`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return (
    [
      hours > 0 ? `${hours}h` : "",
      minutes > 0 ? `${minutes}m` : "",
      seconds > 0 ? `${seconds}s` : "",
    ].join("") || "0s"
  );
}

function trim(value: number): string {
  return Number(value.toFixed(1)).toString();
}
