import { describe, expect, it } from "vitest";
import { NETWORK_ERROR_KINDS } from "../../engine/network-error-kind.js";
import { ProviderError } from "../../errors/provider-error.js";
import { mapNetworkError } from "./map-network-error.js";

const options = {
  provider: "edge",
  url: "https://api.example.test/v1/chat",
  timeouts: { connectTimeoutMs: 1000, firstByteTimeoutMs: 2000, idleTimeoutMs: 3000 },
};
const withCode = (code: string, cause?: unknown) =>
  Object.assign(new Error(`failed: ${code}`, { cause }), { code });

describe("mapNetworkError", () => {
  it.each([
    ["UND_ERR_CONNECT_TIMEOUT", "timeout", "1000 ms"],
    ["UND_ERR_HEADERS_TIMEOUT", "timeout", "2000 ms"],
    ["UND_ERR_BODY_TIMEOUT", "timeout", "3000 ms"],
    ["ECONNREFUSED", "transient", "ECONNREFUSED"],
    ["ECONNRESET", "transient", "ECONNRESET"],
    ["EPIPE", "transient", "EPIPE"],
    ["ENOTFOUND", "transient", "ENOTFOUND"],
    ["EAI_AGAIN", "transient", "EAI_AGAIN"],
    ["UND_ERR_SOCKET", "transient", "UND_ERR_SOCKET"],
    ["CERT_HAS_EXPIRED", "transient", "CERT_HAS_EXPIRED"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "transient", "ERR_TLS_CERT_ALTNAME_INVALID"],
    ["UND_ERR_INVALID_ARG", "unknown", "failed"],
  ])("%s -> %s", (code, kind, text) => {
    const error = mapNetworkError(withCode(code), options);
    expect(error.kind).toBe(kind);
    expect(error.provider).toBe("edge");
    expect(error.message).toContain(text);
  });

  it("agrees with the engine's one list on every network code", () => {
    for (const [code, kind] of NETWORK_ERROR_KINDS) {
      expect([code, mapNetworkError(withCode(code), options).kind]).toEqual([code, kind]);
    }
  });

  it("looks through undici's socket error and AggregateError to the OS code", () => {
    const socket = withCode("UND_ERR_SOCKET", withCode("ECONNRESET"));
    expect(mapNetworkError(socket, options).vendorCode).toBe("ECONNRESET");
    const aggregate = Object.assign(new AggregateError([withCode("ECONNREFUSED")], "connect"), {});
    const mapped = mapNetworkError(aggregate, options);
    expect([mapped.kind, mapped.vendorCode]).toEqual(["transient", "ECONNREFUSED"]);
  });

  it("passes a ProviderError through", () => {
    const original = new ProviderError("already classified", { kind: "auth" });
    expect(mapNetworkError(original, options)).toBe(original);
  });
});
