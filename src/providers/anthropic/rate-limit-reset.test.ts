import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRateLimitResetMs, parseRegainAccessMs } from "./rate-limit-reset.js";

const nowMs = Date.parse("2026-03-10T12:00:00Z");

describe("parseRateLimitResetMs", () => {
  it("waits for the latest exhausted limit", () => {
    const headers = {
      "anthropic-ratelimit-requests-remaining": "0",
      "anthropic-ratelimit-requests-reset": "2026-03-10T12:00:05Z",
      "anthropic-ratelimit-tokens-remaining": "0",
      "anthropic-ratelimit-tokens-reset": "2026-03-10T12:00:09Z",
      "anthropic-ratelimit-output-tokens-remaining": "100",
      "anthropic-ratelimit-output-tokens-reset": "2026-03-10T12:00:59Z",
    };
    expect(parseRateLimitResetMs(headers, nowMs)).toBe(9000);
  });

  it("waits for the latest reset when no limit says it is exhausted", () => {
    const headers = {
      "anthropic-ratelimit-input-tokens-remaining": "120",
      "anthropic-ratelimit-input-tokens-reset": "2026-03-10T12:00:30Z",
      "anthropic-ratelimit-requests-reset": "2026-03-10T12:00:02Z",
    };
    expect(parseRateLimitResetMs(headers, nowMs)).toBe(30_000);
  });

  it("reads past resets as 0 and ignores what is not an RFC 3339 time", () => {
    expect(
      parseRateLimitResetMs(
        { "anthropic-ratelimit-requests-reset": "2026-03-10T11:59:00Z" },
        nowMs,
      ),
    ).toBe(0);
    expect(parseRateLimitResetMs({ "anthropic-ratelimit-requests-reset": "12" }, nowMs)).toBe(
      undefined,
    );
    expect(
      parseRateLimitResetMs({ "anthropic-ratelimit-tokens-reset": "2026-13-45Tnope" }, nowMs),
    ).toBe(undefined);
    expect(parseRateLimitResetMs({}, nowMs)).toBe(undefined);
  });

  it("reads any future reset time back as its distance from now (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 86_400_000 }),
        fc.constantFrom("requests", "tokens", "input-tokens", "output-tokens"),
        (offsetMs, limit) => {
          const reset = new Date(nowMs + offsetMs).toISOString();
          const headers = { [`anthropic-ratelimit-${limit}-reset`]: reset };
          expect(parseRateLimitResetMs(headers, nowMs)).toBe(offsetMs);
        },
      ),
    );
  });
});

describe("parseRegainAccessMs", () => {
  it("reads the time a spend limit lifts", () => {
    const message =
      "You have reached your API usage limits. You will regain access on 2026-04-01 at 00:00 UTC.";
    expect(parseRegainAccessMs(message, nowMs)).toBe(Date.parse("2026-04-01T00:00:00Z") - nowMs);
    expect(parseRegainAccessMs("Your credit balance is too low", nowMs)).toBe(undefined);
  });
});
