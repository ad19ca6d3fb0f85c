import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../../../errors/all-providers-unavailable-error.js";
import { ProviderError } from "../../../errors/provider-error.js";
import { describeError } from "../../error-response.js";
import { invalidVirtualKeyError } from "../gateway-request-error.js";
import { anthropicErrorType, renderError } from "./render-error.js";

describe("renderError (messages format)", () => {
  it("renders the error envelope", () => {
    const rendered = renderError(describeError(invalidVirtualKeyError()));
    expect(rendered.status).toBe(401);
    expect(rendered.body).toEqual({
      type: "error",
      error: {
        type: "authentication_error",
        message: "invalid API key: the gateway does not know this virtual key",
        details: { error_code: "invalid_api_key" },
      },
    });
  });

  it.each([
    [400, "invalid_request_error"],
    [401, "authentication_error"],
    [403, "permission_error"],
    [404, "not_found_error"],
    [413, "request_too_large"],
    [429, "rate_limit_error"],
    [499, "invalid_request_error"],
    [500, "api_error"],
    [502, "api_error"],
    [503, "overloaded_error"],
  ])("status %i -> %s", (status, type) => {
    expect(anthropicErrorType(status)).toBe(type);
  });

  it("puts attempts in details and retry headers beside the body", () => {
    const error = new AllProvidersUnavailableError(
      [
        {
          outcome: "skipped",
          targetId: "a",
          startedAfterMs: 0,
          reason: "circuit_open",
          availableInMs: 900,
        },
      ],
      900,
    );
    const rendered = renderError(describeError(error));
    expect(rendered.status).toBe(503);
    expect(rendered.headers["retry-after-ms"]).toBe("900");
    expect(rendered.body.error.details?.attempts?.[0]?.targetId).toBe("a");
    expect(
      renderError(describeError(error), { includeAttempts: false }).body.error.details,
    ).toEqual({ error_code: "providers_unavailable" });
  });

  it("an internal error has no details beyond its code", () => {
    const rendered = renderError(describeError(new TypeError("x is undefined")));
    expect(rendered.body.error).toEqual({
      type: "api_error",
      message: "internal error",
      details: { error_code: "internal_error" },
    });
    expect(
      renderError(describeError(new ProviderError("slow", { kind: "rate_limited" }))).status,
    ).toBe(429);
  });
});
