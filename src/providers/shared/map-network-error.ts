import type { ErrorKind } from "../../errors/error-kind.js";
import { ProviderError } from "../../errors/provider-error.js";

/** The time limits in force, so a timeout message can say which one ran out. */
export interface NetworkTimeouts {
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_DESTROYED",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "HPE_INVALID_CONSTANT",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/**
 * Turns a network failure from the HTTP layer into a classified ProviderError. The caller checks its
 * own signal first: a cancelled request rethrows `signal.reason`, never a ProviderError.
 * Connect, first-byte and idle timeouts are kind `timeout`; socket, DNS and TLS faults are `transient`.
 */
export function mapNetworkError(
  error: unknown,
  options: { provider: string; url: string; timeouts: NetworkTimeouts },
): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider, url, timeouts } = options;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const make = (kind: ErrorKind, message: string) =>
    new ProviderError(message, { kind, provider, vendorCode: code, cause: error });
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return make(
        "timeout",
        `${provider}: could not connect to ${url} within ${timeouts.connectTimeoutMs} ms`,
      );
    case "UND_ERR_HEADERS_TIMEOUT":
      return make(
        "timeout",
        `${provider}: no response headers from ${url} within ${timeouts.firstByteTimeoutMs} ms`,
      );
    case "UND_ERR_BODY_TIMEOUT":
      return make(
        "timeout",
        `${provider}: response body from ${url} stalled for ${timeouts.idleTimeoutMs} ms`,
      );
  }
  if (code !== undefined && (TRANSIENT_CODES.has(code) || isTlsCode(code))) {
    return make("transient", `${provider}: network error on ${url} (${code}): ${detail}`);
  }
  return make("unknown", `${provider}: request to ${url} failed: ${detail}`);
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith("ERR_TLS_") ||
    code.startsWith("ERR_SSL_") ||
    code.includes("CERT") ||
    code === "EPROTO"
  );
}

/** The error's `code`, looking through `cause` and AggregateError members (happy-eyeballs connects). */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  // undici wraps socket errors in its own classes; prefer the more specific OS code beneath.
  const inner =
    errorCode((error as { cause?: unknown }).cause, depth + 1) ??
    (error instanceof AggregateError ? errorCode(error.errors[0], depth + 1) : undefined);
  if (typeof code === "string" && code.startsWith("UND_ERR_") && code !== "UND_ERR_SOCKET") {
    return code;
  }
  if (inner !== undefined && (typeof code !== "string" || code === "UND_ERR_SOCKET")) return inner;
  return typeof code === "string" ? code : inner;
}
