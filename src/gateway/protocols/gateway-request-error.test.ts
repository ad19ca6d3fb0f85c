import { describe, expect, it } from "vitest";
import { isSwitchyardError } from "../../errors/switchyard-error.js";
import {
  bodyTooLargeError,
  GatewayRequestError,
  invalidJsonBodyError,
  invalidVirtualKeyError,
  isGatewayRequestError,
  unknownModelError,
} from "./gateway-request-error.js";

describe("GatewayRequestError", () => {
  it("carries status, param and code, and is a SwitchyardError", () => {
    const error = new GatewayRequestError("bad", { status: 422, param: "x", code: "nope" });
    expect(error).toMatchObject({ status: 422, param: "x", code: "nope", message: "bad" });
    expect(error.name).toBe("GatewayRequestError");
    expect(isSwitchyardError(error)).toBe(true);
    expect(isGatewayRequestError(error)).toBe(true);
    expect(isGatewayRequestError(new Error("bad"))).toBe(false);
    expect(new GatewayRequestError("x", { status: 400 }).code).toBe("invalid_request");
  });

  it("constructors", () => {
    expect(invalidVirtualKeyError()).toMatchObject({ status: 401, code: "invalid_api_key" });
    expect(invalidVirtualKeyError({ missing: true }).message).toContain("missing");
    expect(unknownModelError("m1")).toMatchObject({
      status: 404,
      param: "model",
      code: "model_not_found",
    });
    expect(unknownModelError("m1").message).toContain("'m1'");
    expect(unknownModelError("x".repeat(1000)).message.length).toBeLessThan(300);
    expect(bodyTooLargeError(100)).toMatchObject({ status: 413, code: "request_too_large" });
    expect(bodyTooLargeError(100, 250).message).toBe(
      "request body too large: the limit is 100 bytes (got 250 bytes)",
    );
    expect(invalidJsonBodyError("Unexpected token")).toMatchObject({
      status: 400,
      code: "invalid_json",
    });
  });
});
