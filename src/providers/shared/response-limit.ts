import { ProviderError } from "../../errors/provider-error.js";

/** What one upstream answer may buffer by default (`maxResponseBytes`): 64 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The vendor code of the error for an answer past the limit, for logs and traces. */
export const RESPONSE_TOO_LARGE = "response_too_large";

export interface ResponseLimit {
  /** The provider name, in the error. */
  provider: string;
  /** Bytes (after content decoding) an answer, or one stream event, may hold. */
  maxBytes: number;
  /** The answer's status, carried by the error. */
  status?: number;
}

/**
 * An answer (or one stream event) past `maxResponseBytes`: a `transient` fault of the upstream, so
 * the next target is tried. `what` names the part, e.g. "response body" or "stream event".
 */
export function responseTooLargeError(limit: ResponseLimit, what: string): ProviderError {
  return new ProviderError(
    `${limit.provider}: ${what} is larger than maxResponseBytes (${limit.maxBytes} bytes)`,
    {
      kind: "transient",
      provider: limit.provider,
      status: limit.status,
      vendorCode: RESPONSE_TOO_LARGE,
    },
  );
}

/** Checks `maxResponseBytes` given to an adapter or a client: a whole number of at least 1. */
export function checkMaxResponseBytes(provider: string, value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${provider}: maxResponseBytes must be an integer >= 1 (got ${value})`);
  }
  return value;
}

/**
 * Passes a body's chunks through and fails with `responseTooLargeError` once their total passes
 * the limit. Leaving the loop ends the source's iteration, which closes its connection.
 */
export async function* limitBody(
  body: AsyncIterable<Uint8Array>,
  limit: ResponseLimit,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > limit.maxBytes) throw responseTooLargeError(limit, "response body");
    yield chunk;
  }
}

/** Reads a body to its end within the limit (see `limitBody`). */
export async function readBodyLimited(
  body: AsyncIterable<Uint8Array>,
  limit: ResponseLimit,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of limitBody(body, limit)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
