import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ErrorKind } from "../../errors/error-kind.js";
import { ProviderError } from "../../errors/provider-error.js";
import { mapError } from "./map-error.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** 2026-05-31T23:59:00Z, the injected wall clock. */
const nowMs = Date.parse("2026-05-31T23:59:00Z");

interface Row {
  status: number;
  file: string;
  kind: ErrorKind;
  vendorCode: string | undefined;
  headers?: Record<string, string>;
  retryAfterMs?: number;
}

const rows: Row[] = [
  {
    status: 429,
    file: "error-rate-limit.json",
    kind: "rate_limited",
    vendorCode: "rate_limit_error",
    headers: { "retry-after": "12" },
    retryAfterMs: 12_000,
  },
  {
    status: 400,
    file: "error-credit-balance.json",
    kind: "quota_exhausted",
    vendorCode: "invalid_request_error",
  },
  {
    status: 400,
    file: "error-spend-limit-400.json",
    kind: "quota_exhausted",
    vendorCode: "invalid_request_error",
    retryAfterMs: 60_000,
  },
  {
    status: 429,
    file: "error-spend-limit-429.json",
    kind: "quota_exhausted",
    vendorCode: "enforced_spend_limit_reached",
    retryAfterMs: Date.parse("2026-09-01T00:00:00Z") - nowMs,
  },
  { status: 402, file: "error-billing.json", kind: "quota_exhausted", vendorCode: "billing_error" },
  {
    status: 401,
    file: "error-authentication.json",
    kind: "auth",
    vendorCode: "authentication_error",
  },
  { status: 403, file: "error-permission.json", kind: "auth", vendorCode: "permission_error" },
  { status: 404, file: "error-not-found.json", kind: "not_found", vendorCode: "not_found_error" },
  {
    status: 400,
    file: "error-prompt-too-long.json",
    kind: "context_length",
    vendorCode: "invalid_request_error",
  },
  {
    status: 400,
    file: "error-invalid-request.json",
    kind: "invalid_request",
    vendorCode: "invalid_request_error",
  },
  {
    status: 413,
    file: "error-request-too-large.json",
    kind: "invalid_request",
    vendorCode: "request_too_large",
  },
  { status: 500, file: "error-api.json", kind: "transient", vendorCode: "api_error" },
  {
    status: 529,
    file: "error-overloaded.json",
    kind: "transient",
    vendorCode: "overloaded_error",
    headers: { "retry-after": "3" },
    retryAfterMs: 3000,
  },
  { status: 502, file: "error-bad-gateway.html", kind: "transient", vendorCode: undefined },
  { status: 504, file: "error-timeout.json", kind: "transient", vendorCode: "timeout_error" },
];

describe("mapError", () => {
  it.each(rows)("$status $file -> $kind", (row) => {
    const error = mapError(row.status, row.headers ?? {}, fixture(row.file), nowMs, "claude");
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe(row.kind);
    expect(error.status).toBe(row.status);
    expect(error.provider).toBe("claude");
    expect(error.vendorCode).toBe(row.vendorCode);
    expect(error.retryAfterMs).toBe(row.retryAfterMs);
    expect(error.message).toContain(`claude answered ${row.status}`);
  });

  it("reads a rate limit's wait from the reset headers when retry-after is absent", () => {
    const headers = {
      "anthropic-ratelimit-requests-remaining": "3",
      "anthropic-ratelimit-requests-reset": "2026-05-31T23:59:01Z",
      "anthropic-ratelimit-input-tokens-remaining": "0",
      "anthropic-ratelimit-input-tokens-reset": "2026-05-31T23:59:20Z",
      "anthropic-ratelimit-output-tokens-remaining": "8000",
      "anthropic-ratelimit-output-tokens-reset": "2026-05-31T23:59:50Z",
    };
    const error = mapError(429, headers, fixture("error-rate-limit.json"), nowMs);
    expect(error.kind).toBe("rate_limited");
    expect(error.retryAfterMs).toBe(20_000);
    expect(error.message).toContain("retry in 20000 ms");
    expect(error.provider).toBe("anthropic");
  });

  it("prefers retry-after over the reset headers", () => {
    const headers = {
      "retry-after": "7",
      "anthropic-ratelimit-tokens-remaining": "0",
      "anthropic-ratelimit-tokens-reset": "2026-05-31T23:59:30Z",
    };
    expect(mapError(429, headers, fixture("error-rate-limit.json"), nowMs).retryAfterMs).toBe(7000);
  });

  it("falls back to the status for bodies it cannot read", () => {
    expect(mapError(503, {}, "", nowMs).kind).toBe("transient");
    expect(mapError(503, {}, "", nowMs).message).toContain("empty body");
    expect(mapError(401, {}, "Unauthorized", nowMs).kind).toBe("auth");
    expect(mapError(429, {}, "<html>slow down</html>", nowMs).kind).toBe("rate_limited");
    expect(mapError(402, {}, "{}", nowMs).kind).toBe("quota_exhausted");
    expect(mapError(404, {}, "null", nowMs).kind).toBe("not_found");
    expect(mapError(413, {}, "<html>413 Request Entity Too Large</html>", nowMs).kind).toBe(
      "invalid_request",
    );
  });

  it("does not read billing words into server errors", () => {
    const body = JSON.stringify({
      type: "error",
      error: { type: "api_error", message: "billing service: spend limit lookup failed" },
    });
    expect(mapError(500, {}, body, nowMs).kind).toBe("transient");
  });

  it("keeps the vendor message but bounds its length", () => {
    const long = "x".repeat(5000);
    const body = JSON.stringify({ type: "error", error: { type: "api_error", message: long } });
    const error = mapError(500, {}, body, nowMs);
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toContain("xxx...");
  });
});
