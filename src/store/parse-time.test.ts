import { describe, expect, it } from "vitest";
import { periodEnd, periodStart } from "./budget-period.js";
import { formatTime, parseTime } from "./parse-time.js";

const NOW = Date.UTC(2026, 10, 15, 12, 30, 0);

describe("parseTime", () => {
  it("reads spans back from now", () => {
    expect(parseTime("30m", NOW)).toBe(NOW - 30 * 60_000);
    expect(parseTime("24h", NOW)).toBe(NOW - 86_400_000);
    expect(parseTime("7d", NOW)).toBe(NOW - 7 * 86_400_000);
    expect(parseTime("1.5h", NOW)).toBe(NOW - 5_400_000);
    expect(parseTime("2w", NOW)).toBe(NOW - 14 * 86_400_000);
  });

  it("reads ISO dates and date-times as UTC unless a zone is given, and epoch milliseconds", () => {
    expect(parseTime("2026-11-01", NOW)).toBe(Date.UTC(2026, 10, 1));
    expect(parseTime("2026-11-01T09:15:00", NOW)).toBe(Date.UTC(2026, 10, 1, 9, 15));
    expect(parseTime("2026-11-01 09:15", NOW)).toBe(Date.UTC(2026, 10, 1, 9, 15));
    expect(parseTime("2026-11-01T09:15:00+02:00", NOW)).toBe(Date.UTC(2026, 10, 1, 7, 15));
    expect(parseTime("1763200000000", NOW)).toBe(1_763_200_000_000);
  });

  it("names what it cannot read", () => {
    expect(() => parseTime("yesterday", NOW)).toThrow(
      "cannot read 'yesterday' as a time: give a span back from now (30m, 24h, 7d), an ISO date (2026-11-01) or epoch milliseconds",
    );
    expect(() => parseTime("2026-13-45", NOW)).toThrow(/cannot read '2026-13-45'/);
    expect(() => parseTime("5y", NOW)).toThrow(/cannot read/);
  });

  it("formats times in UTC to the second", () => {
    expect(formatTime(NOW + 999)).toBe("2026-11-15 12:30:00");
  });
});

describe("budget periods", () => {
  it("start at midnight UTC or the first of the month UTC, and end where the next starts", () => {
    expect(periodStart("day", NOW)).toBe(Date.UTC(2026, 10, 15));
    expect(periodEnd("day", NOW)).toBe(Date.UTC(2026, 10, 16));
    expect(periodStart("month", NOW)).toBe(Date.UTC(2026, 10, 1));
    expect(periodEnd("month", NOW)).toBe(Date.UTC(2026, 11, 1));
    const lastOfYear = Date.UTC(2026, 11, 31, 23, 59, 59, 999);
    expect(periodEnd("day", lastOfYear)).toBe(Date.UTC(2027, 0, 1));
    expect(periodEnd("month", lastOfYear)).toBe(Date.UTC(2027, 0, 1));
    expect(periodStart("day", Date.UTC(2026, 10, 15))).toBe(Date.UTC(2026, 10, 15));
  });
});
