import { createRequire } from "node:module";

/**
 * The AWS SDK's own SigV4 signer and event-stream codec, for the Bedrock mock. The mock loads them
 * itself rather than through the adapter's wrappers, so a bug in the adapter's signing or framing is
 * caught by the mock instead of mirrored by it; loaded on first use, as the adapter does.
 */
const load = createRequire(import.meta.url);

export interface MockSignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

interface SignatureV4 {
  sign(
    request: MockSignableRequest,
    options: { signingDate?: Date },
  ): Promise<{ headers: Record<string, string> }>;
}

export interface MockCodec {
  encode(message: {
    headers: Record<string, { type: string; value: unknown }>;
    body: Uint8Array;
  }): Uint8Array;
}

export const toUtf8 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
export const fromUtf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");

/** The headers SigV4 gives `request` (its `authorization` among them). */
export async function sigV4Headers(
  request: MockSignableRequest,
  options: {
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    region: string;
    service: string;
    signingDate: Date | undefined;
  },
): Promise<Record<string, string>> {
  const { SignatureV4 } = load("@smithy/signature-v4") as {
    SignatureV4: new (settings: Record<string, unknown>) => SignatureV4;
  };
  const { Sha256 } = load("@aws-crypto/sha256-js") as { Sha256: unknown };
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Sha256,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    request,
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  return signed.headers;
}

/** `@smithy/eventstream-codec`'s codec. */
export function eventStreamCodec(): MockCodec {
  const { EventStreamCodec } = load("@smithy/eventstream-codec") as {
    EventStreamCodec: new (
      to: (bytes: Uint8Array) => string,
      from: (text: string) => Uint8Array,
    ) => MockCodec;
  };
  return new EventStreamCodec(toUtf8, fromUtf8);
}
