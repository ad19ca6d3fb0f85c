import { bodyTooLargeError, invalidJsonBodyError } from "../protocols/gateway-request-error.js";

/**
 * Reads a request body as JSON, refusing more than `maxBytes` (by Content-Length when given, and
 * while reading in any case) with a 413, and malformed JSON with a 400.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw bodyTooLargeError(maxBytes, declared);
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
  const text = Buffer.concat(chunks, received).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidJsonBodyError(error instanceof Error ? error.message : undefined);
  }
}
