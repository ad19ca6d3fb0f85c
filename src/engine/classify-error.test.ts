import { describe, expect, it } from "vitest";
import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { classifyError, classifyWith, kindOfStatus } from "./classify-error.js";

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
    [400, "invalid_request"],
    [422, "invalid_request"],
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

  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "UND_ERR_SOCKET"])(
    "treats network code %s as transient",
    (code) => {
      expect(classifyError(Object.assign(new Error("net"), { code })).kind).toBe("transient");
    },
  );

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
