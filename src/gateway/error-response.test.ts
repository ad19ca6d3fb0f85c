import { describe, expect, it } from "vitest";
import { policyFor } from "../engine/error-policy.js";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../errors/attempt-record.js";
import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import { ERROR_KINDS, type ErrorKind } from "../errors/error-kind.js";
import { FactoryClosedError } from "../errors/factory-closed-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { StreamInterruptedError } from "../errors/stream-interrupted-error.js";
import { describeError, errorHeaders } from "./error-response.js";
import {
  bodyTooLargeError,
  GatewayRequestError,
  invalidVirtualKeyError,
  unknownModelError,
} from "./protocols/gateway-request-error.js";

function failure(
  provider: string,
  kind: ErrorKind,
  status?: number,
  message = `${kind} from ${provider}`,
  retryAfterMs?: number,
): AttemptRecord {
  const error = new ProviderError(message, {
    kind,
    provider,
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  return {
    outcome: "failure",
    targetId: provider,
    attempt: 1,
    startedAfterMs: 0,
    latencyMs: 10,
    hedge: false,
    kind,
    status,
    message,
    error,
  };
}

function skipped(
  provider: string,
  reason: "circuit_open" | "cooling_down" | "at_capacity" | "over_cost",
  availableInMs?: number,
): AttemptRecord {
  return { outcome: "skipped", targetId: provider, startedAfterMs: 0, reason, availableInMs };
}

describe("describeError: provider errors", () => {
  it.each([
    ["invalid_request", 400, "invalid_request", undefined],
    ["content_filter", 400, "content_filter", "content_filter"],
    ["context_length", 400, "context_length", "context_length_exceeded"],
    ["not_found", 404, "not_found", "model_not_found"],
    ["rate_limited", 429, "rate_limited", "rate_limit_exceeded"],
    ["quota_exhausted", 502, "quota_exhausted", "upstream_quota_exhausted"],
    ["auth", 502, "upstream_error", "upstream_auth_failed"],
    ["transient", 502, "upstream_error", "upstream_error"],
    ["timeout", 502, "upstream_error", "upstream_timeout"],
    ["unknown", 502, "upstream_error", "upstream_error"],
    ["cancelled", 499, "cancelled", "cancelled"],
    ["internal", 500, "internal", "internal_error"],
  ] as const)("%s -> %i %s", (kind, status, category, code) => {
    const description = describeError(
      new ProviderError("upstream said no", { kind, provider: "main", status: 418 }),
    );
    expect(description.status).toBe(status);
    expect(description.category).toBe(category);
    expect(description.code).toBe(code);
  });

  it("never passes an upstream 401 through as the client's 401, and hides the upstream message", () => {
    const description = describeError(
      new ProviderError("Incorrect API key provided: sk-proj-abcdefghijklmnop", {
        kind: "auth",
        provider: "main",
        status: 401,
      }),
    );
    expect(description.status).toBe(502);
    expect(description.message).not.toContain("sk-proj");
    expect(description.message).toContain("main");
    expect(description.retryable).toBe(false);
  });

  it("keeps the caller-fault message so the client can fix its request", () => {
    const description = describeError(
      new ProviderError("This model's maximum context length is 8192 tokens", {
        kind: "context_length",
        status: 400,
      }),
    );
    expect(description.message).toBe("This model's maximum context length is 8192 tokens");
  });

  it("carries retryAfterMs of a rate limit", () => {
    const description = describeError(
      new ProviderError("slow down", { kind: "rate_limited", status: 429, retryAfterMs: 1500 }),
    );
    expect(description.retryAfterMs).toBe(1500);
    expect(errorHeaders(description)).toEqual({ "retry-after": "2", "retry-after-ms": "1500" });
  });

  it("scrubs credential-looking text and cuts long messages", () => {
    const description = describeError(
      new ProviderError(
        `bad request with Bearer abcdefghijklmnop and api_key=supersecretvalue and AIzaSyA1234567890123456789012 ${"x".repeat(3000)}`,
        { kind: "invalid_request", status: 400 },
      ),
    );
    expect(description.message).not.toContain("abcdefghijklmnop");
    expect(description.message).not.toContain("supersecretvalue");
    expect(description.message).not.toContain("AIzaSy");
    expect(description.message).toContain("Bearer [redacted]");
    expect(description.message.length).toBeLessThanOrEqual(1000);
  });
});

describe("describeError: all providers unavailable", () => {
  it("429 with retryAfterMs when every step was a rate limit or cooldown", () => {
    const error = new AllProvidersUnavailableError(
      [failure("a", "rate_limited", 429), skipped("b", "cooling_down", 4000)],
      4000,
    );
    const description = describeError(error);
    expect(description.status).toBe(429);
    expect(description.retryAfterMs).toBe(4000);
    expect(description.attempts).toHaveLength(2);
    expect(description.attempts?.[0]).toMatchObject({
      targetId: "a",
      outcome: "failure",
      kind: "rate_limited",
      status: 429,
    });
    expect(description.attempts?.[1]).toMatchObject({
      targetId: "b",
      outcome: "skipped",
      reason: "cooling_down",
    });
  });

  it("falls back to the shortest known wait when the error has none", () => {
    const error = new AllProvidersUnavailableError(
      [failure("a", "rate_limited", 429, "slow", 7000), skipped("b", "cooling_down", 3000)],
      undefined,
    );
    expect(describeError(error).retryAfterMs).toBe(3000);
  });

  it("503 with retryAfterMs when every candidate was skipped for an open circuit", () => {
    const error = new AllProvidersUnavailableError(
      [skipped("a", "circuit_open", 12000), skipped("b", "circuit_open", 9000)],
      9000,
    );
    const description = describeError(error);
    expect(description.status).toBe(503);
    expect(description.category).toBe("unavailable");
    expect(description.retryAfterMs).toBe(9000);
    expect(description.message).toContain("9000 ms");
  });

  it("400 context_length_exceeded when every failure was context_length", () => {
    const error = new AllProvidersUnavailableError(
      [
        failure("a", "context_length", 400, "too long for a"),
        failure("b", "context_length", 400, "too long for b"),
      ],
      undefined,
    );
    const description = describeError(error);
    expect(description).toMatchObject({
      status: 400,
      category: "context_length",
      code: "context_length_exceeded",
      message: "too long for b",
    });
  });

  it("400 when every failure was the caller's fault", () => {
    const error = new AllProvidersUnavailableError(
      [failure("a", "context_length", 400), failure("b", "invalid_request", 400, "bad tool")],
      undefined,
    );
    expect(describeError(error)).toMatchObject({ status: 400, category: "invalid_request" });
  });

  it("502 for a mix, listing attempts without raw errors or keys", () => {
    const error = new AllProvidersUnavailableError(
      [
        failure("a", "transient", 503, "overloaded"),
        failure("b", "auth", 401, "invalid x-api-key sk-ant-abcdefghijklmnopqrstu"),
        skipped("c", "over_cost"),
      ],
      undefined,
    );
    const description = describeError(error);
    expect(description.status).toBe(502);
    expect(description.code).toBe("all_providers_failed");
    expect(description.message).toContain("a failed (transient 503)");
    const serialized = JSON.stringify(description);
    expect(serialized).not.toContain("sk-ant-abcdefghijklmnopqrstu");
    expect(description.attempts?.every((attempt) => !("error" in attempt))).toBe(true);
  });

  it("500 not retryable when every failure was the gateway's own (internal), whatever was skipped", () => {
    const error = new AllProvidersUnavailableError(
      [failure("a", "internal"), skipped("b", "circuit_open", 5000), failure("c", "internal")],
      undefined,
    );
    expect(describeError(error)).toMatchObject({
      status: 500,
      category: "internal",
      code: "internal_error",
      message: "internal error",
      retryable: false,
    });
    expect(describeError(error).attempts).toHaveLength(3);
  });

  it("an internal failure mixed with an upstream failure is the upstream's 502", () => {
    const error = new AllProvidersUnavailableError(
      [failure("a", "internal"), failure("b", "transient", 503)],
      undefined,
    );
    expect(describeError(error).status).toBe(502);
  });

  it("the caller's faults are the error policy's: every kind it marks is a 400, no other", () => {
    for (const kind of ERROR_KINDS) {
      const error = new AllProvidersUnavailableError([failure("a", kind, 400)], undefined);
      expect([kind, describeError(error).status === 400]).toEqual([
        kind,
        policyFor(kind).callerFault,
      ]);
    }
  });

  it("a rate limit mixed with a transient failure is a 502, not a 429", () => {
    const error = new AllProvidersUnavailableError(
      [failure("a", "rate_limited", 429), failure("b", "transient", 500)],
      undefined,
    );
    expect(describeError(error).status).toBe(502);
  });

  it("503 when no provider was even a candidate", () => {
    expect(describeError(new AllProvidersUnavailableError([], undefined)).status).toBe(503);
  });
});

describe("describeError: other errors", () => {
  it("StreamInterruptedError -> 502", () => {
    const error = new StreamInterruptedError("main", 3, new Error("socket hang up"));
    expect(describeError(error)).toMatchObject({ status: 502, code: "stream_interrupted" });
  });

  it("AttemptTimeoutError -> 502 and FactoryClosedError -> 503", () => {
    expect(describeError(new AttemptTimeoutError("main", 3000)).status).toBe(502);
    expect(describeError(new FactoryClosedError()).status).toBe(503);
  });

  it("GatewayRequestError -> its status and param", () => {
    const error = new GatewayRequestError("bad temperature", {
      status: 400,
      param: "temperature",
      code: "invalid_value",
    });
    expect(describeError(error)).toMatchObject({
      status: 400,
      category: "invalid_request",
      param: "temperature",
      code: "invalid_value",
      message: "bad temperature",
    });
  });

  it("gateway constructors give 401, 404 and 413", () => {
    expect(describeError(invalidVirtualKeyError())).toMatchObject({
      status: 401,
      category: "authentication",
    });
    expect(describeError(unknownModelError("big-model-9"))).toMatchObject({
      status: 404,
      category: "not_found",
      param: "model",
    });
    const tooLarge = describeError(bodyTooLargeError(1024, 4096));
    expect(tooLarge).toMatchObject({ status: 413, category: "request_too_large" });
    expect(tooLarge.message).toContain("1024");
  });

  it("anything else is a 500 without details", () => {
    for (const error of [new Error("secret database password"), "oops", null, { status: 400 }]) {
      const description = describeError(error);
      expect(description).toEqual({
        status: 500,
        category: "internal",
        code: "internal_error",
        message: "internal error",
      });
    }
  });

  it("errorHeaders marks hopeless retries", () => {
    const description = describeError(new ProviderError("no money", { kind: "quota_exhausted" }));
    expect(errorHeaders(description)).toEqual({ "x-should-retry": "false" });
    expect(errorHeaders(describeError(new Error("x")))).toEqual({});
  });
});
