import { ProviderError } from "../../errors/provider-error.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import { asArray, asNumber, asRecord, type JsonRecord } from "../shared/json-fields.js";
import { modelName } from "./map-request.js";

/**
 * A unified embeddings request -> the body of `batchEmbedContents`: one request per input, each
 * naming the model; `dimensions` -> `outputDimensionality`; `providerOptions.gemini` (e.g.
 * `taskType`, `title`) is merged into every request. `user` has no Gemini equivalent.
 */
export function mapGeminiEmbeddingsRequest(request: EmbeddingsRequest): JsonRecord {
  const model = modelName(request.model);
  const extra = request.providerOptions?.gemini ?? {};
  return {
    requests: request.input.map((text) => {
      const entry: JsonRecord = { model, content: { parts: [{ text }] } };
      if (request.dimensions !== undefined) entry.outputDimensionality = request.dimensions;
      return { ...entry, ...extra };
    }),
  };
}

export interface MapGeminiEmbeddingsResponseOptions {
  provider: string;
  model: string;
  /** How many inputs were sent; a response with another count of vectors throws `transient`. */
  inputCount: number;
}

/** A `batchEmbedContents` body -> EmbeddingsResult. Gemini reports no token usage for embeddings. */
export function mapGeminiEmbeddingsResponse(
  body: unknown,
  options: MapGeminiEmbeddingsResponseOptions,
): EmbeddingsResult {
  const embeddings = asArray(asRecord(body)?.embeddings).map((item) =>
    asArray(asRecord(item)?.values).map((value) => asNumber(value) ?? Number.NaN),
  );
  const broken = embeddings.some((vector) => vector.length === 0 || vector.some(Number.isNaN));
  if (embeddings.length !== options.inputCount || broken) {
    throw new ProviderError(
      `${options.provider} returned ${embeddings.length} usable embedding(s) for ${options.inputCount} input(s)`,
      { kind: "transient", provider: options.provider, status: 200 },
    );
  }
  return { model: options.model, adapterType: "gemini", embeddings, usage: undefined };
}
