import { pipeline, Readable, type Transform } from "node:stream";
import { constants, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { ProviderError } from "../../errors/provider-error.js";

const DECODERS: Record<string, () => Transform> = {
  // Lenient at the end, as browsers and fetch are: a body cut after a complete block still decodes.
  gzip: () => createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }),
  "x-gzip": () => createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }),
  deflate: () => createInflate({ finishFlush: constants.Z_SYNC_FLUSH }),
  br: () => createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH }),
};

/**
 * The codings of a `content-encoding` header, in the order they were applied; `identity` and an
 * absent header give none.
 */
export function contentCodings(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
}

/**
 * Decodes a body sent with `content-encoding` (gzip, br, deflate, several in turn), pulling from the
 * source only as fast as the reader takes decoded bytes: a compressed bomb never inflates ahead of
 * the reader. Leaving the loop early ends the source's iteration (closing its connection). A
 * corrupt body or an unknown coding is a `transient` ProviderError.
 */
export async function* decodeContent(
  body: AsyncIterable<Uint8Array>,
  codings: readonly string[],
  provider: string,
): AsyncGenerator<Uint8Array> {
  const unknown = codings.find((coding) => DECODERS[coding] === undefined);
  if (unknown !== undefined) {
    throw new ProviderError(`${provider}: unsupported content-encoding "${unknown.slice(0, 40)}"`, {
      kind: "transient",
      provider,
    });
  }
  let sourceFailed = false;
  async function* watched(): AsyncGenerator<Uint8Array> {
    try {
      yield* body;
    } catch (error) {
      sourceFailed = true; // the exchange's own error (a network fault, a cancellation): as it is
      throw error;
    }
  }
  let source: AsyncIterable<Uint8Array> = watched();
  for (let index = codings.length - 1; index >= 0; index--) {
    const decoder = (DECODERS[codings[index] as string] as () => Transform)();
    source = pipeline(Readable.from(source, { objectMode: false }), decoder, () => undefined);
  }
  try {
    yield* source;
  } catch (error) {
    if (sourceFailed || error instanceof ProviderError) throw error;
    throw new ProviderError(
      `${provider}: could not decode a ${codings.join(", ")} response body: ${messageOf(error)}`,
      { kind: "transient", provider, cause: error },
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
