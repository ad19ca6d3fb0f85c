import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeFloat32Base64, renderEmbeddingsResponse } from "./render-embeddings-response.js";

const result = {
  model: "text-embedding-3-small",
  adapterType: "openai",
  embeddings: [
    [0.5, -1.25],
    [3, 0],
  ],
  usage: { inputTokens: 8, totalTokens: 8 },
};

describe("renderEmbeddingsResponse", () => {
  it("renders float vectors as a list object", () => {
    expect(renderEmbeddingsResponse(result)).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.5, -1.25] },
        { object: "embedding", index: 1, embedding: [3, 0] },
      ],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
  });

  it("renders base64 as little-endian float32 bytes", () => {
    const rendered = renderEmbeddingsResponse(result, { encodingFormat: "base64", model: "emb" });
    expect(rendered.model).toBe("emb");
    const bytes = Buffer.from(rendered.data[0]?.embedding as string, "base64");
    // 0.5 = 0x3F000000, -1.25 = 0xBFA00000, little-endian
    expect([...bytes]).toEqual([0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0xa0, 0xbf]);
  });

  it("base64 round-trips any float32 vector", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true })), (vector) => {
        const bytes = Buffer.from(encodeFloat32Base64(vector), "base64");
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const decoded = vector.map((_, index) => view.getFloat32(index * 4, true));
        expect(decoded).toEqual(vector.map((value) => Math.fround(value)));
      }),
    );
  });
});
