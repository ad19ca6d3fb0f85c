import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mapError, mapStreamError, rateLimitWaitMs } from "./map-error.js";

const fixtureText = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const nowMs = Date.parse("2025-06-01T12:00:00Z");

function map(status: number, fixture: string, headers: Record<string, string> = {}) {
  return mapError({ status, headers, bodyText: fixtureText(fixture), nowMs, provider: "primary" });
}

describe("mapError", () => {
  it.each([
    [429, "error-rate-limit-tokens.json", "rate_limited", "rate_limit_exceeded"],
    [429, "error-insufficient-quota.json", "quota_exhausted", "insufficient_quota"],
    [402, "error-billing-not-active.json", "quota_exhausted", "billing_not_active"],
    [429, "error-billing-not-active.json", "quota_exhausted", "billing_not_active"],
    [401, "error-invalid-api-key.json", "auth", "invalid_api_key"],
    [403, "error-unsupported-region.json", "auth", "unsupported_country_region_territory"],
    [404, "error-model-not-found.json", "not_found", "model_not_found"],
    [400, "error-model-not-found.json", "not_found", "model_not_found"],
    [400, "error-context-length.json", "context_length", "context_length_exceeded"],
    [400, "error-content-policy.json", "content_filter", "content_policy_violation"],
    [400, "error-content-filter.json", "content_filter", "content_filter"],
    [400, "error-invalid-request.json", "invalid_request", "invalid_type"],
    [500, "error-server.json", "transient", "server_error"],
    [502, "error-server.json", "transient", "server_error"],
    [503, "error-overloaded.json", "transient", "server_error"],
    [504, "error-server.json", "transient", "server_error"],
  ])("%d %s -> %s", (status, fixture, kind, vendorCode) => {
    const error = map(status, fixture);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.vendorCode).toBe(vendorCode);
    expect(error.provider).toBe("primary");
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it("never repeats even a masked key from a 401 message", () => {
    const error = map(401, "error-invalid-api-key.json");
    expect(error.message).toContain("Incorrect API key provided: sk-***");
    expect(error.message).not.toContain("abcd");
  });

  it("classifies non-JSON and empty bodies by status", () => {
    const html = mapError({
      status: 502,
      headers: {},
      bodyText: "<html>Bad gateway</html>",
      nowMs,
      provider: "p",
    });
    expect(html.kind).toBe("transient");
    expect(html.message).toContain("<html>Bad gateway</html>");
    const empty = mapError({ status: 404, headers: {}, bodyText: "", nowMs, provider: "p" });
    expect(empty.kind).toBe("not_found");
    expect(empty.message).toContain("(empty body)");
  });

  it("reads context-length prose from compatible servers", () => {
    const error = mapError({
      status: 400,
      headers: {},
      bodyText: JSON.stringify({
        object: "error",
        message:
          "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
        type: "BadRequestError",
        code: 400,
      }),
      nowMs,
      provider: "local",
    });
    expect(error.kind).toBe("context_length");
  });

  it("takes the wait from rate limit headers, never for quota", () => {
    const limited = map(429, "error-rate-limit-tokens.json", {
      "x-ratelimit-remaining-tokens": "0",
      "x-ratelimit-reset-tokens": "6m0s",
      "x-ratelimit-remaining-requests": "499",
      "x-ratelimit-reset-requests": "120ms",
    });
    expect(limited.retryAfterMs).toBe(360_000);
    const quota = map(429, "error-insufficient-quota.json", { "retry-after": "20" });
    expect(quota.retryAfterMs).toBeUndefined();
  });

  it("keeps a retry-after on transient errors", () => {
    expect(map(503, "error-overloaded.json", { "retry-after": "3" }).retryAfterMs).toBe(3000);
  });
});

describe("rateLimitWaitMs", () => {
  it("prefers retry-after-ms, then retry-after", () => {
    const headers = {
      "retry-after-ms": "250",
      "retry-after": "9",
      "x-ratelimit-reset-tokens": "6m0s",
    };
    expect(rateLimitWaitMs(headers, nowMs, "tokens")).toBe(250);
    expect(
      rateLimitWaitMs({ "retry-after": "9", "x-ratelimit-reset-tokens": "1s" }, nowMs, undefined),
    ).toBe(9000);
  });

  it("takes the window that ran out, by remaining headers or error type", () => {
    const resets = { "x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s" };
    expect(
      rateLimitWaitMs({ ...resets, "x-ratelimit-remaining-requests": "0" }, nowMs, undefined),
    ).toBe(1000);
    expect(rateLimitWaitMs(resets, nowMs, "tokens")).toBe(360_000);
    expect(rateLimitWaitMs(resets, nowMs, "requests")).toBe(1000);
  });

  it("waits for both windows when both ran out", () => {
    const headers = {
      "x-ratelimit-reset-requests": "2s",
      "x-ratelimit-reset-tokens": "1m30s",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-remaining-tokens": "0",
    };
    expect(rateLimitWaitMs(headers, nowMs, undefined)).toBe(90_000);
  });

  it("takes the smaller reset when nothing says which window ran out", () => {
    expect(
      rateLimitWaitMs(
        { "x-ratelimit-reset-requests": "17ms", "x-ratelimit-reset-tokens": "6m0s" },
        nowMs,
        undefined,
      ),
    ).toBe(17);
    expect(rateLimitWaitMs({}, nowMs, undefined)).toBeUndefined();
  });
});

describe("mapStreamError", () => {
  it.each([
    [{ message: "boom", type: "server_error", code: null }, "transient"],
    [{ message: "slow down", type: "tokens", code: "rate_limit_exceeded" }, "rate_limited"],
    [
      { message: "quota", type: "insufficient_quota", code: "insufficient_quota" },
      "quota_exhausted",
    ],
    [
      { message: "too long", type: "invalid_request_error", code: "context_length_exceeded" },
      "context_length",
    ],
    [
      { message: "filtered", type: "invalid_request_error", code: "content_filter" },
      "content_filter",
    ],
    [{ message: "bad", type: "invalid_request_error", code: null }, "invalid_request"],
    [{ message: "Upstream error", code: 502 }, "transient"],
    [{ message: "Rate limited upstream", code: 429 }, "rate_limited"],
    [{ message: "mystery" }, "transient"],
  ])("%j -> %s", (error, kind) => {
    const mapped = mapStreamError(error, "primary");
    expect(mapped.kind).toBe(kind);
    expect(mapped.status).toBeUndefined();
    expect(mapped.message).toContain("mid-stream");
  });
});
