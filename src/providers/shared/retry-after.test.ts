import { describe, expect, it } from "vitest";
import { parseDurationText, parseRetryAfterMs } from "./retry-after.js";

describe("parseRetryAfterMs", () => {
  const nowMs = Date.parse("2025-01-01T00:00:00Z");

  it("prefers retry-after-ms", () => {
    expect(parseRetryAfterMs({ "retry-after-ms": "1500", "retry-after": "9" }, nowMs)).toBe(1500);
  });

  it("reads seconds", () => {
    expect(parseRetryAfterMs({ "retry-after": "20" }, nowMs)).toBe(20_000);
    expect(parseRetryAfterMs({ "retry-after": "0.5" }, nowMs)).toBe(500);
  });

  it("reads an HTTP date relative to now, never negative", () => {
    expect(parseRetryAfterMs({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, nowMs)).toBe(
      30_000,
    );
    expect(parseRetryAfterMs({ "retry-after": "Tue, 31 Dec 2024 23:59:00 GMT" }, nowMs)).toBe(0);
  });

  it("ignores absent and unreadable values", () => {
    expect(parseRetryAfterMs({}, nowMs)).toBeUndefined();
    expect(parseRetryAfterMs({ "retry-after": "soon" }, nowMs)).toBeUndefined();
    expect(parseRetryAfterMs({ "retry-after-ms": "-5" }, nowMs)).toBeUndefined();
  });
});

describe("parseDurationText", () => {
  it.each([
    ["6m0s", 360_000],
    ["1s", 1000],
    ["250ms", 250],
    ["1h2m3.5s", 3_723_500],
    ["0.5s", 500],
    ["17ms", 17],
    ["0", 0],
  ])("%s is %d ms", (text, expected) => {
    expect(parseDurationText(text)).toBe(expected);
  });

  it.each(["", "5", "abc", "1x", "1s junk", "s"])("rejects %j", (text) => {
    expect(parseDurationText(text)).toBeUndefined();
  });
});
