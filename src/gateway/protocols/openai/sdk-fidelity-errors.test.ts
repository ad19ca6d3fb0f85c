/**
 * Fidelity of errors: a request the SDK sends and we refuse, and each error we render, come out
 * of the official SDK as its own error classes. Setup in sdk-fidelity.test-helper.ts.
 */
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "openai";
import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../../../errors/all-providers-unavailable-error.js";
import { ProviderError } from "../../../errors/provider-error.js";
import { invalidVirtualKeyError, unknownModelError } from "../gateway-request-error.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { errorReply, useSdkServer } from "./sdk-fidelity.test-helper.js";

const sdk = useSdkServer();

describe("chat completions through the official SDK", () => {
  it("a validation error from the SDK's own request raises BadRequestError with param", async () => {
    sdk.handler = (_path, body) => {
      const result = parseChatRequest(body);
      return result.ok ? { status: 200, body: "{}" } : errorReply(result.error);
    };
    const error = await sdk.client.chat.completions
      .create({ model: "smart", messages: [{ role: "user", content: "hi" }], n: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe("n");
    expect((error as BadRequestError).type).toBe("invalid_request_error");
  });

  it.each([
    ["bad virtual key", invalidVirtualKeyError(), AuthenticationError, 401],
    ["unknown model", unknownModelError("gpt-9"), NotFoundError, 404],
    [
      "all rate limited",
      new AllProvidersUnavailableError(
        [
          {
            outcome: "failure",
            targetId: "a",
            attempt: 1,
            startedAfterMs: 0,
            latencyMs: 5,
            hedge: false,
            kind: "rate_limited",
            status: 429,
            message: "slow down",
            error: undefined,
          },
        ],
        1200,
      ),
      RateLimitError,
      429,
    ],
    [
      "upstream auth",
      new ProviderError("bad key", { kind: "auth", status: 401 }),
      InternalServerError,
      502,
    ],
    [
      "circuits open",
      new AllProvidersUnavailableError(
        [
          {
            outcome: "skipped",
            targetId: "a",
            startedAfterMs: 0,
            reason: "circuit_open",
            availableInMs: 50,
          },
        ],
        50,
      ),
      InternalServerError,
      503,
    ],
    ["internal", new Error("boom"), InternalServerError, 500],
  ])("%s -> the SDK's error class", async (_name, thrown, errorClass, status) => {
    sdk.handler = () => errorReply(thrown);
    const error = await sdk.client.chat.completions
      .create({ model: "smart", messages: [{ role: "user", content: "hi" }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as APIError).status).toBe(status);
    if (status === 502) expect((error as APIError).message).not.toContain("bad key");
  });
});
