import { ProviderError } from "../../errors/provider-error.js";
import { loadOptionalPackage } from "../shared/load-optional-package.js";
import { type ResponseLimit, responseTooLargeError } from "../shared/response-limit.js";

/** The content type of a Bedrock stream (ConverseStream, InvokeModelWithResponseStream). */
export const EVENT_STREAM = "application/vnd.amazon.eventstream";

/** One message of an `application/vnd.amazon.eventstream` body: its string headers and body text. */
export interface EventStreamMessage {
  headers: Record<string, string>;
  body: string;
}

export interface CodecMessage {
  headers: Record<string, { type: string; value: unknown }>;
  body: Uint8Array;
}

/** The AWS SDK's event-stream codec (one message at a time). */
export interface Codec {
  decode(message: ArrayBufferView): CodecMessage;
  encode(message: CodecMessage): Uint8Array;
}

interface CodecPackage {
  EventStreamCodec: new (
    toUtf8: (bytes: Uint8Array) => string,
    fromUtf8: (text: string) => Uint8Array,
  ) => Codec;
}

export const toUtf8 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
export const fromUtf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");

/** `@smithy/eventstream-codec`, loaded when a Bedrock stream is first read. */
export function loadEventStreamCodec(): CodecPackage {
  return loadOptionalPackage<CodecPackage>("@smithy/eventstream-codec", "a bedrock provider");
}

/**
 * The messages of an AWS event stream. Messages are cut out of the byte stream by their length
 * prefix and decoded (prelude and message CRCs checked) by the AWS SDK's own codec. A corrupt
 * message, or bytes left over at the end, is a `transient` ProviderError; so is a message longer
 * than `limit.maxBytes` (`maxResponseBytes`), refused at its length prefix, before it is buffered.
 * Leaving early (a failure included) ends the body's iteration, which closes the connection.
 */
export async function* decodeEventStream(
  body: AsyncIterable<Uint8Array>,
  limit: ResponseLimit,
): AsyncGenerator<EventStreamMessage> {
  const { provider } = limit;
  const decoder = new (loadEventStreamCodec().EventStreamCodec)(toUtf8, fromUtf8);
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (length < 16) throw corrupt(provider, `a message claims ${length} bytes`);
      if (length > limit.maxBytes) throw responseTooLargeError(limit, "stream event");
      if (pending.length < length) break;
      yield decodeMessage(decoder, pending.subarray(0, length), provider);
      pending = pending.subarray(length);
    }
  }
  if (pending.length > 0) {
    throw corrupt(provider, `the stream ended inside a message (${pending.length} bytes left)`);
  }
}

function decodeMessage(decoder: Codec, bytes: Uint8Array, provider: string): EventStreamMessage {
  let message: CodecMessage;
  try {
    message = decoder.decode(bytes);
  } catch (error) {
    throw corrupt(provider, error instanceof Error ? error.message : String(error), error);
  }
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(message.headers)) {
    if (typeof header.value === "string") headers[name] = header.value;
  }
  return { headers, body: toUtf8(message.body) };
}

function corrupt(provider: string, problem: string, cause?: unknown): ProviderError {
  return new ProviderError(`${provider} sent a corrupt event stream: ${problem}`, {
    kind: "transient",
    provider,
    cause,
  });
}
