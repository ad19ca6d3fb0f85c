import type { ServerResponse } from "node:http";
import {
  brotliCompressSync,
  constants,
  createBrotliCompress,
  createDeflate,
  createGzip,
  deflateSync,
  gzipSync,
} from "node:zlib";
import type { MockContentEncoding } from "./mock-behaviour.js";

/** Where a mock answer's body goes once its headers are out, compressed when the behaviour says. */
export interface MockBodySink {
  /** Writes text (flushed through the compressor); resolves when the socket takes more. */
  write(text: string): Promise<void>;
  end(): void;
}

const COMPRESS_SYNC: Record<MockContentEncoding, (input: Buffer) => Buffer> = {
  gzip: (input) => gzipSync(input),
  deflate: (input) => deflateSync(input),
  br: (input) => brotliCompressSync(input),
};

/** A whole body in the encoding (or as it is), for answers sent in one piece. */
export function encodeBody(body: string, encoding: MockContentEncoding | undefined): Buffer {
  const bytes = Buffer.from(body);
  return encoding === undefined ? bytes : COMPRESS_SYNC[encoding](bytes);
}

/**
 * Sets the status line and headers (`content-encoding` added when encoding; they leave with the
 * first write), then hands out a sink for the body. Writes wait for the socket to drain, so an endless body costs no memory.
 */
export function openBodySink(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  encoding: MockContentEncoding | undefined,
  /** How the text's characters become bytes: `latin1` carries binary frames (event streams). */
  textEncoding: BufferEncoding = "utf8",
): MockBodySink {
  response.writeHead(
    status,
    encoding === undefined ? headers : { ...headers, "content-encoding": encoding },
  );
  if (encoding === undefined) {
    return {
      write: (text) =>
        response.write(text, textEncoding) || response.destroyed ? settled : drained(response),
      end: () => response.end(),
    };
  }
  const compressor =
    encoding === "gzip"
      ? createGzip()
      : encoding === "deflate"
        ? createDeflate()
        : createBrotliCompress();
  compressor.pipe(response);
  response.once("close", () => compressor.destroy());
  const flushKind = encoding === "br" ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH;
  return {
    write: (text) =>
      new Promise<void>((resolve) => {
        if (compressor.destroyed || response.destroyed) return resolve();
        response.once("close", resolve); // a flush cut short by the client never calls back
        compressor.write(Buffer.from(text, textEncoding));
        compressor.flush(flushKind, () => {
          response.off("close", resolve);
          if (response.writableNeedDrain) void drained(response).then(resolve);
          else resolve();
        });
      }),
    end: () => compressor.end(),
  };
}

const settled = Promise.resolve();

function drained(response: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.on("drain", done);
    response.on("close", done);
  });
}
