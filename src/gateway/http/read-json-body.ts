import {
  bodyTooLargeError,
  invalidJsonBodyError,
  jsonTooDeepError,
} from "../protocols/gateway-request-error.js";

/** What a request body may be: `server.maxBodyBytes` and `server.maxJsonDepth`. */
export interface BodyLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * Reads a request body as JSON, refusing more than `maxBytes` (by Content-Length when given, and
 * while reading in any case) with a 413, and malformed JSON with a 400.
 *
 * With a Content-Length within the limit, the body is read whole with `arrayBuffer()`: on the Node
 * server that reads the socket directly, without building a web `Request` and `ReadableStream`
 * (about a tenth of the gateway's CPU per request), and the HTTP parser never delivers more than
 * the declared length. Without one (chunked), the body is streamed and counted as it arrives.
 */
export async function readJsonBody(request: Request, limits: BodyLimits): Promise<unknown> {
  const { maxBytes } = limits;
  const lengthHeader = request.headers.get("content-length");
  const declared = lengthHeader === null ? Number.NaN : Number(lengthHeader);
  if (declared > maxBytes) throw bodyTooLargeError(maxBytes, declared);
  let bytes: Uint8Array;
  if (Number.isSafeInteger(declared) && declared >= 0) {
    bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw bodyTooLargeError(maxBytes, bytes.byteLength);
  } else {
    bytes = await readStreamed(request, maxBytes);
  }
  return parseJsonBody(bytes, limits.maxDepth);
}

/**
 * A request body's bytes as JSON; a 400 when they are not JSON, or when arrays and objects nest
 * deeper than `maxDepth` (checked on the bytes first: deep nesting is cheap to send and costly for
 * every recursive walk of the request after this, down to a stack overflow).
 */
export function parseJsonBody(bytes: Uint8Array, maxDepth: number): unknown {
  if (nestsDeeperThan(bytes, maxDepth)) throw jsonTooDeepError(maxDepth);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidJsonBodyError(error instanceof Error ? error.message : undefined);
  }
}

async function readStreamed(request: Request, maxBytes: number): Promise<Uint8Array> {
  const body = request.body;
  if (!body) throw invalidJsonBodyError("the request has no body");
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw bodyTooLargeError(maxBytes, received);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, received);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether arrays and objects in JSON text nest deeper than `maxDepth`. Works on the UTF-8 bytes: a
 * multi-byte character never contains an ASCII byte, so brackets inside strings are told apart by
 * tracking strings and their escapes alone. Malformed text gets an answer too; `JSON.parse` refuses
 * it afterwards.
 */
export function nestsDeeperThan(bytes: Uint8Array, maxDepth: number): boolean {
  if (bytes.byteLength <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}
