import { describe, expect, it } from "vitest";
import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { classifyError, classifyWith, kindOfStatus } from "./classify-error.js";
import { kindOfNetworkCode, NETWORK_ERROR_KINDS } from "./network-error-kind.js";

describe("classifyError", () => {
  it.each([
    [429, "rate_limited"],
    [402, "quota_exhausted"],
    [401, "auth"],
    [403, "auth"],
    [404, "not_found"],
    [408, "transient"],
    [500, "transient"],
    [502, "transient"],
    [503, "transient"],
    [504, "transient"],
    [529, "transient"],
    [599, "transient"],
    [400, "invalid_request"],
    [413, "invalid_request"],
    [422, "invalid_request"],
    [499, "invalid_request"],
    [200, "unknown"],
    [302, "unknown"],
    [600, "unknown"],
  ])("maps HTTP %i to %s", (status, kind) => {
    expect(kindOfStatus(status)).toBe(kind);
    expect(classifyError(Object.assign(new Error("x"), { status })).kind).toBe(kind);
  });

  it("keeps a ProviderError's own facts", () => {
    const error = new ProviderError("slow down", {
      kind: "rate_limited",
      status: 429,
      retryAfterMs: 1500,
    });
    expect(classifyError(error)).toEqual({ kind: "rate_limited", retryAfterMs: 1500, status: 429 });
  });

  it("reads retryAfterMs, retry-after-ms and retry-after from plain errors", () => {
    expect(
      classifyError(Object.assign(new Error(), { status: 429, retryAfterMs: 700 })).retryAfterMs,
    ).toBe(700);
    const plainHeaders = { status: 429, headers: { "retry-after": "3" } };
    expect(classifyError(plainHeaders).retryAfterMs).toBe(3000);
    const fetchHeaders = { status: 503, headers: new Headers({ "retry-after-ms": "250" }) };
    expect(classifyError(fetchHeaders)).toEqual({
      kind: "transient",
      retryAfterMs: 250,
      status: 503,
    });
  });

  it.each([
    ["ECONNREFUSED", "transient"],
    ["ECONNRESET", "transient"],
    ["EPIPE", "transient"],
    ["ENOTFOUND", "transient"],
    ["EAI_AGAIN", "transient"],
    ["UND_ERR_SOCKET", "transient"],
    ["UND_ERR_CLOSED", "transient"],
    ["ERR_STREAM_PREMATURE_CLOSE", "transient"],
    ["CERT_HAS_EXPIRED", "transient"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "transient"],
    ["ETIMEDOUT", "timeout"],
    ["UND_ERR_CONNECT_TIMEOUT", "timeout"],
    ["UND_ERR_HEADERS_TIMEOUT", "timeout"],
    ["UND_ERR_BODY_TIMEOUT", "timeout"],
    ["ERR_INVALID_ARG_TYPE", "unknown"],
  ])("treats network code %s as %s", (code, kind) => {
    expect(kindOfNetworkCode(code) ?? "unknown").toBe(kind);
    expect(classifyError(Object.assign(new Error("net"), { code })).kind).toBe(kind);
  });

  it("classifies every code of the one network list as its listed kind", () => {
    expect(NETWORK_ERROR_KINDS.size).toBeGreaterThan(15);
    for (const [code, kind] of NETWORK_ERROR_KINDS) {
      expect([code, classifyError(Object.assign(new Error("net"), { code })).kind]).toEqual([
        code,
        kind,
      ]);
    }
  });

  it("keeps an adapter's internal error as internal", () => {
    const error = new ProviderError("mapper threw", { kind: "internal", provider: "p" });
    expect(classifyError(error).kind).toBe("internal");
  });

  it("looks through `cause` for a network code", () => {
    const error = new TypeError("fetch failed", {
      cause: Object.assign(new Error(), { code: "ECONNRESET" }),
    });
    expect(classifyError(error).kind).toBe("transient");
  });

  it("classifies attempt timeouts, aborts and unknowns", () => {
    expect(classifyError(new AttemptTimeoutError("a", 10)).kind).toBe("timeout");
    expect(classifyError(new DOMException("aborted", "AbortError")).kind).toBe("cancelled");
    expect(classifyError(new Error("mystery")).kind).toBe("unknown");
    expect(classifyError("a string").kind).toBe("unknown");
  });

  it("lets an override return a kind, a partial classification, or nothing", () => {
    const error = Object.assign(new Error(), { status: 400 });
    expect(classifyWith(() => "transient", error, "p").kind).toBe("transient");
    expect(classifyWith(() => ({ retryAfterMs: 9 }), error, "p")).toEqual({
      kind: "invalid_request",
      retryAfterMs: 9,
      status: 400,
    });
    expect(classifyWith(() => undefined, error, "p").kind).toBe("invalid_request");
  });
});
