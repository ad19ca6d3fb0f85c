import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mapBedrockError, mapBedrockStreamException } from "./map-error.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const errorType = (type: string) => ({
  "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
});

/** Bedrock's error table, row by row, from the bodies Bedrock sends. */
const ROWS = [
  ["error-throttling.json", 429, "ThrottlingException", "rate_limited"],
  ["error-service-quota.json", 400, "ServiceQuotaExceededException", "quota_exhausted"],
  ["error-model-not-ready.json", 429, "ModelNotReadyException", "transient"],
  ["error-service-unavailable.json", 503, "ServiceUnavailableException", "transient"],
  ["error-internal-server.json", 500, "InternalServerException", "transient"],
  ["error-context-length.json", 400, "ValidationException", "context_length"],
  ["error-prompt-too-long.json", 400, "ValidationException", "context_length"],
  ["error-validation.json", 400, "ValidationException", "invalid_request"],
  ["error-content-filter.json", 400, "ValidationException", "content_filter"],
  ["error-access-denied.json", 403, "AccessDeniedException", "auth"],
  ["error-unrecognized-client.json", 403, "UnrecognizedClientException", "auth"],
  ["error-invalid-signature.json", 403, "InvalidSignatureException", "auth"],
  ["error-resource-not-found.json", 404, "ResourceNotFoundException", "not_found"],
  ["error-model-stream.json", 424, "ModelStreamErrorException", "transient"],
] as const;

describe("mapBedrockError", () => {
  it.each(ROWS)("%s (%i %s) is %s", (file, status, type, kind) => {
    const error = mapBedrockError({
      status,
      headers: errorType(type),
      bodyText: fixture(file),
      nowMs: 0,
      provider: "bedrock-us",
    });
    expect(error).toMatchObject({ kind, status, vendorCode: type, provider: "bedrock-us" });
    expect(error.message).toContain(`(${type})`);
  });

  it("reads the type from the body's __type when the header is missing", () => {
    const error = mapBedrockError({
      status: 403,
      headers: {},
      bodyText: fixture("error-coral-type.json"),
      nowMs: 0,
      provider: "bedrock-us",
    });
    expect(error).toMatchObject({ kind: "auth", vendorCode: "UnrecognizedClientException" });
  });

  it("falls back on the status for an unknown type, and honours retry-after", () => {
    const error = mapBedrockError({
      status: 429,
      headers: { "retry-after": "3" },
      bodyText: "",
      nowMs: 0,
      provider: "bedrock-us",
    });
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 3000 });
    expect(error.message).toContain("(empty body)");
  });
});

describe("mapBedrockStreamException", () => {
  it.each([
    ["modelStreamErrorException", "error-model-stream.json", "transient"],
    ["throttlingException", "error-throttling.json", "rate_limited"],
    ["validationException", "error-context-length.json", "context_length"],
    ["serviceUnavailableException", "error-service-unavailable.json", "transient"],
    ["internalServerException", "error-internal-server.json", "transient"],
  ] as const)("%s is %s", (type, file, kind) => {
    const error = mapBedrockStreamException(type, fixture(file), "bedrock-us");
    expect(error.kind).toBe(kind);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain("mid-stream");
  });
});
