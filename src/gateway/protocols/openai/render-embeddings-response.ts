/**
 * A unified `EmbeddingsResult` -> the Embeddings API's list object. With `encodingFormat: "base64"`
 * each vector is sent as the base64 of its little-endian float32 bytes, as the vendor does (its SDK
 * decodes exactly that).
 */
import type { EmbeddingsResult } from "../../../llm/embeddings.js";
import type { EmbeddingEncodingFormat } from "./parse-embeddings-request.js";

export interface RenderEmbeddingsOptions {
  encodingFormat?: EmbeddingEncodingFormat;
  /** The model name to report; defaults to the model that answered. */
  model?: string;
}

export interface EmbeddingsList {
  object: "list";
  data: { object: "embedding"; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export function renderEmbeddingsResponse(
  result: EmbeddingsResult,
  options: RenderEmbeddingsOptions = {},
): EmbeddingsList {
  const base64 = options.encodingFormat === "base64";
  return {
    object: "list",
    data: result.embeddings.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? encodeFloat32Base64(vector) : vector,
    })),
    model: options.model ?? result.model,
    usage: {
      prompt_tokens: result.usage?.inputTokens ?? 0,
      total_tokens: result.usage?.totalTokens ?? 0,
    },
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The base64 of `vector` as little-endian float32 bytes. */
export function encodeFloat32Base64(vector: readonly number[]): string {
  const floats = Float32Array.from(vector);
  if (!LITTLE_ENDIAN) {
    const view = new DataView(floats.buffer);
    for (let index = 0; index < floats.length; index++) {
      view.setFloat32(index * 4, vector[index] ?? 0, true);
    }
  }
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}
