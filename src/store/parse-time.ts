import { SwitchyardError } from "../errors/switchyard-error.js";

const UNITS_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * A time as the CLI and admin API take it, as epoch milliseconds: a span back from now (`30m`, `24h`,
 * `7d`), an ISO date or date-time (`2026-11-01`, `2026-11-01T09:00:00Z`; without a zone, UTC), or epoch milliseconds.
 */
export function parseTime(text: string, nowMs: number): number {
  const value = text.trim();
  const span = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(value);
  if (span?.[1] !== undefined && span[2] !== undefined) {
    return nowMs - Number(span[1]) * (UNITS_MS[span[2]] ?? 0);
  }
  if (/^\d{10,}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    // A date-time without a zone is read as UTC, like a date alone, whatever the machine's zone.
    const iso = value.replace(" ", "T");
    const zoned = /T[\d:.]+$/.test(iso) ? `${iso}Z` : iso;
    const parsed = Date.parse(zoned);
    if (Number.isFinite(parsed)) return parsed;
  }
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  throw new SwitchyardError(
    "invalid_option",
    `cannot read '${shown}' as a time: give a span back from now (30m, 24h, 7d), an ISO date (2026-11-01) or epoch milliseconds`,
  );
}

/** `2026-11-15 11:59:59` (UTC). */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace("T", " ");
}
