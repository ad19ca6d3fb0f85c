import { kindOfNetworkCode, networkErrorCode } from "../../engine/network-error-kind.js";
import type { ErrorKind } from "../../errors/error-kind.js";
import { ProviderError } from "../../errors/provider-error.js";

/** The time limits in force, so a timeout message can say which one ran out. */
export interface NetworkTimeouts {
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
}

/**
 * Turns a network failure from the HTTP layer into a classified ProviderError, by the engine's one
 * list of network codes (`NETWORK_ERROR_KINDS`). The caller checks its own signal first: a cancelled
 * request rethrows `signal.reason`, never a ProviderError.
 * Connect, first-byte and idle timeouts are kind `timeout`; socket, DNS and TLS faults are `transient`.
 */
export function mapNetworkError(
  error: unknown,
  options: { provider: string; url: string; timeouts: NetworkTimeouts },
): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider, url, timeouts } = options;
  const code = networkErrorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const make = (kind: ErrorKind, message: string) =>
    new ProviderError(message, { kind, provider, vendorCode: code, cause: error });
  switch (kindOfNetworkCode(code)) {
    case "timeout":
      return make("timeout", `${provider}: ${timeoutText(code, url, timeouts)}`);
    case "transient":
      return make("transient", `${provider}: network error on ${url} (${code}): ${detail}`);
    default:
      return make("unknown", `${provider}: request to ${url} failed: ${detail}`);
  }
}

/** Which time limit ran out, by the code that reported it. */
function timeoutText(code: string | undefined, url: string, timeouts: NetworkTimeouts): string {
  switch (code) {
    case "UND_ERR_HEADERS_TIMEOUT":
      return `no response headers from ${url} within ${timeouts.firstByteTimeoutMs} ms`;
    case "UND_ERR_BODY_TIMEOUT":
      return `response body from ${url} stalled for ${timeouts.idleTimeoutMs} ms`;
    default:
      return `could not connect to ${url} within ${timeouts.connectTimeoutMs} ms`;
  }
}
