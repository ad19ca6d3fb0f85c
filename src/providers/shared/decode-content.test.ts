import { brotliCompressSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { contentCodings, decodeContent } from "./decode-content.js";

async function* chunksOf(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function decoded(body: AsyncIterable<Uint8Array>, codings: string[]): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of decodeContent(body, codings, "test-provider")) parts.push(part);
  return Buffer.concat(parts).toString("utf8");
}

describe("contentCodings", () => {
  it("lists the codings in the order applied, without identity", () => {
    expect(contentCodings(undefined)).toEqual([]);
    expect(contentCodings("identity")).toEqual([]);
    expect(contentCodings(" GZip , br")).toEqual(["gzip", "br"]);
  });
});

describe("decodeContent", () => {
  it("undoes several codings in reverse order, across chunk boundaries", async () => {
    const encoded = brotliCompressSync(gzipSync(Buffer.from('{"hello":"world"}')));
    const half = Math.floor(encoded.length / 2);
    const body = chunksOf(encoded.subarray(0, half), encoded.subarray(half));
    expect(await decoded(body, ["gzip", "br"])).toBe('{"hello":"world"}');
  });

  it("fails an unknown coding or a corrupt body as transient", async () => {
    await expect(decoded(chunksOf(Buffer.from("abc")), ["zstd"])).rejects.toMatchObject({
      kind: "transient",
      message: 'test-provider: unsupported content-encoding "zstd"',
    });
    await expect(decoded(chunksOf(Buffer.from("not gzip at all")), ["gzip"])).rejects.toMatchObject(
      { kind: "transient" },
    );
  });

  it("passes the source's own error through unchanged (a cancellation stays the caller's reason)", async () => {
    const reason = new Error("the caller went away");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield gzipSync(Buffer.from("partial")).subarray(0, 5);
      throw reason;
    }
    await expect(decoded(failing(), ["gzip"])).rejects.toBe(reason);
  });

  it("stops pulling from the source when the reader leaves early", async () => {
    let pulled = 0;
    let finished = false;
    const piece = gzipSync(Buffer.alloc(1024 * 1024));
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          pulled++;
          yield piece;
        }
      } finally {
        finished = true;
      }
    }
    let read = 0;
    for await (const part of decodeContent(endless(), ["gzip"], "test-provider")) {
      read += part.byteLength;
      if (read > 64 * 1024) break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(true);
    // Read-ahead of compressed bytes is bounded by the stream buffers (16 KiB each), whatever
    // they would inflate to (here 1 MiB per piece).
    expect(pulled * piece.length).toBeLessThan(64 * 1024);
  });
});
