import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../../../errors/all-providers-unavailable-error.js";
import { ProviderError } from "../../../errors/provider-error.js";
import { describeError } from "../../error-response.js";
import { GatewayRequestError } from "../gateway-request-error.js";
import { renderError } from "./render-error.js";

describe("renderError (chat completions format)", () => {
  it("renders a validation error with param and code", () => {
    const rendered = renderError(
      describeError(
        new GatewayRequestError("Invalid value for 'temperature'.", {
          status: 400,
          param: "temperature",
          code: "invalid_value",
        }),
      ),
    );
    expect(rendered).toEqual({
      status: 400,
      headers: { "x-should-retry": "false" },
      body: {
        error: {
          message: "Invalid value for 'temperature'.",
          type: "invalid_request_error",
          param: "temperature",
          code: "invalid_value",
        },
      },
    });
  });

  it("renders a rate limit with retry headers and the attempts, unless disabled", () => {
    const error = new AllProvidersUnavailableError(
      [
        {
          outcome: "skipped",
          targetId: "a",
          startedAfterMs: 0,
          reason: "cooling_down",
          availableInMs: 2500,
        },
      ],
      2500,
    );
    const rendered = renderError(describeError(error));
    expect(rendered.status).toBe(429);
    expect(rendered.headers).toEqual({ "retry-after": "3", "retry-after-ms": "2500" });
    expect(rendered.body.error.type).toBe("requests");
    expect(rendered.body.error.attempts).toHaveLength(1);
    expect(
      renderError(describeError(error), { includeAttempts: false }).body.error,
    ).not.toHaveProperty("attempts");
  });

  it("5xx are server_error with a null param", () => {
    const body = renderError(describeError(new ProviderError("down", { kind: "transient" }))).body;
    expect(body.error).toMatchObject({ type: "server_error", param: null, code: "upstream_error" });
    expect(renderError(describeError(new Error("x"))).body.error.code).toBe("internal_error");
  });
});
