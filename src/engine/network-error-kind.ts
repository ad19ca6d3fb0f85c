/**
 * The one list of network error codes (Node's and undici's) and what each means: a time limit ran
 * out (`timeout`) or the connection failed (`transient`). The engine's `classifyError` and every
 * adapter's network mapping read it; TLS and certificate faults are `transient` too.
 */
export const NETWORK_ERROR_KINDS: ReadonlyMap<string, "timeout" | "transient"> = new Map([
  ["ETIMEDOUT", "timeout"],
  ["UND_ERR_CONNECT_TIMEOUT", "timeout"],
  ["UND_ERR_HEADERS_TIMEOUT", "timeout"],
  ["UND_ERR_BODY_TIMEOUT", "timeout"],
  ["ECONNREFUSED", "transient"],
  ["ECONNRESET", "transient"],
  ["ECONNABORTED", "transient"],
  ["EPIPE", "transient"],
  ["ENOTFOUND", "transient"],
  ["EAI_AGAIN", "transient"],
  ["EHOSTUNREACH", "transient"],
  ["ENETUNREACH", "transient"],
  ["ENETDOWN", "transient"],
  ["EPROTO", "transient"],
  ["UND_ERR_SOCKET", "transient"],
  ["UND_ERR_CLOSED", "transient"],
  ["UND_ERR_DESTROYED", "transient"],
  ["UND_ERR_RES_CONTENT_LENGTH_MISMATCH", "transient"],
  ["HPE_INVALID_CONSTANT", "transient"],
  ["ERR_STREAM_PREMATURE_CLOSE", "transient"],
]);

/** The kind a network error code means, or undefined when the code is not a network fault. */
export function kindOfNetworkCode(code: string | undefined): "timeout" | "transient" | undefined {
  if (code === undefined) return undefined;
  const kind = NETWORK_ERROR_KINDS.get(code);
  if (kind !== undefined) return kind;
  const tls = code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_") || code.includes("CERT");
  return tls ? "transient" : undefined;
}

/**
 * An error's `code`, looking through `cause` and AggregateError members (happy-eyeballs connects).
 * undici wraps socket errors in its own classes: the more specific OS code beneath is preferred.
 */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  const inner =
    networkErrorCode((error as { cause?: unknown }).cause, depth + 1) ??
    (error instanceof AggregateError ? networkErrorCode(error.errors[0], depth + 1) : undefined);
  if (typeof code === "string" && code.startsWith("UND_ERR_") && code !== "UND_ERR_SOCKET") {
    return code;
  }
  if (inner !== undefined && (typeof code !== "string" || code === "UND_ERR_SOCKET")) return inner;
  return typeof code === "string" ? code : inner;
}
