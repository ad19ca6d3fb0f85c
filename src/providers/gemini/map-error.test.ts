import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ErrorKind } from "../../errors/error-kind.js";
import { classifyGeminiError, mapGeminiError } from "./map-error.js";

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}

function map(status: number, name: string, headers: Record<string, string> = {}) {
  return mapGeminiError({ provider: "gem", status, headers, body: fixture(name), nowMs: 0 });
}

describe("mapGeminiError", () => {
  it.each<[number, string, ErrorKind, string | undefined, number | undefined]>([
    [429, "error-429-per-minute.json", "rate_limited", "RESOURCE_EXHAUSTED", 23_000],
    [429, "error-429-per-day.json", "quota_exhausted", "RESOURCE_EXHAUSTED", 9_000],
    [429, "error-429-no-details.json", "rate_limited", "RESOURCE_EXHAUSTED", undefined],
    [400, "error-400-api-key.json", "auth", "API_KEY_INVALID", undefined],
    [401, "error-401.json", "auth", "ACCESS_TOKEN_TYPE_UNSUPPORTED", undefined],
    [403, "error-403.json", "auth", "CONSUMER_SUSPENDED", undefined],
    [404, "error-404.json", "not_found", "NOT_FOUND", undefined],
    [400, "error-400-token-limit.json", "context_length", "INVALID_ARGUMENT", undefined],
    [400, "error-400-invalid-argument.json", "invalid_request", "INVALID_ARGUMENT", undefined],
    [
      400,
      "error-400-failed-precondition.json",
      "invalid_request",
      "FAILED_PRECONDITION",
      undefined,
    ],
    [500, "error-500.json", "transient", "INTERNAL", undefined],
    [503, "error-503.json", "transient", "UNAVAILABLE", undefined],
    [504, "error-504.json", "transient", "DEADLINE_EXCEEDED", undefined],
  ])("%i %s -> %s", (status, name, kind, vendorCode, retryAfterMs) => {
    const error = map(status, name);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.provider).toBe("gem");
    expect(error.vendorCode).toBe(vendorCode);
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.message).toMatch(new RegExp(`^gem answered ${status}`));
  });

  it("names the per-day quota and the numbers in its message", () => {
    expect(map(429, "error-429-per-day.json").message).toContain(
      "(quota GenerateRequestsPerDayPerProjectPerModel-FreeTier)",
    );
    expect(map(400, "error-400-token-limit.json").message).toContain("(1200293)");
  });

  it("prefers retry-after headers to the RetryInfo detail", () => {
    expect(map(429, "error-429-per-minute.json", { "retry-after": "5" }).retryAfterMs).toBe(5000);
    expect(map(429, "error-429-per-minute.json", { "retry-after-ms": "750" }).retryAfterMs).toBe(
      750,
    );
  });

  it("reads fractional retryDelay values and falls back to the 'retry in' hint in the message", () => {
    const withDelay = classifyGeminiError(
      {
        code: 429,
        status: "RESOURCE_EXHAUSTED",
        message: "slow down",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1.5s" }],
      },
      { provider: "gem", status: 429, headers: {}, nowMs: 0 },
    );
    expect(withDelay.retryAfterMs).toBe(1500);
    const withHint = classifyGeminiError(
      {
        code: 429,
        status: "RESOURCE_EXHAUSTED",
        message: "Quota exceeded. Please retry in 26.5s.",
      },
      { provider: "gem", status: 429, headers: {}, nowMs: 0 },
    );
    expect(withHint.retryAfterMs).toBe(26_500);
  });

  it("redacts anything shaped like a Google API key from the message", () => {
    const error = map(403, "error-403.json");
    expect(error.message).not.toContain("AIza");
    expect(error.message).toContain("[redacted]");
  });

  it("classifies bodies that are not Gemini JSON by status, keeping a short message", () => {
    const html = mapGeminiError({
      provider: "gem",
      status: 502,
      headers: {},
      body: "<html><body>Bad Gateway</body></html>",
      nowMs: 0,
    });
    expect([html.kind, html.status, html.vendorCode]).toEqual(["transient", 502, undefined]);
    expect(html.message).toContain("Bad Gateway");
    const long = mapGeminiError({
      provider: "gem",
      status: 418,
      headers: {},
      body: "x".repeat(5000),
      nowMs: 0,
    });
    expect(long.kind).toBe("invalid_request");
    expect(long.message.length).toBeLessThan(400);
  });

  it("accepts the array-wrapped error shape", () => {
    const body = `[${fixture("error-404.json")}]`;
    expect(
      mapGeminiError({ provider: "gem", status: 404, headers: {}, body, nowMs: 0 }).vendorCode,
    ).toBe("NOT_FOUND");
  });
});
