import { ProviderError } from "../../errors/provider-error.js";
import type { EmbeddingsResult } from "../../llm/embeddings.js";
import { isRecord, readArray, readNumber, readRecord } from "../shared/json-fields.js";

/**
 * A Vertex `predict` answer for an embedding model (`{predictions: [{embeddings: {values,
 * statistics: {token_count}}}]}`) -> the unified result, one vector per input in order.
 */
export function mapPredictEmbeddings(
  body: unknown,
  options: { provider: string; model: string; inputCount: number },
): EmbeddingsResult {
  const predictions = isRecord(body) ? (readArray(body, "predictions") ?? []) : [];
  let inputTokens = 0;
  const embeddings = predictions.map((prediction) => {
    const embedding = isRecord(prediction) ? readRecord(prediction, "embeddings") : undefined;
    const values = embedding === undefined ? undefined : readArray(embedding, "values");
    inputTokens += readNumber(readRecord(embedding ?? {}, "statistics") ?? {}, "token_count") ?? 0;
    return (values ?? []).filter((value): value is number => typeof value === "number");
  });
  if (embeddings.length !== options.inputCount) {
    throw new ProviderError(
      `${options.provider} returned ${embeddings.length} embeddings for ${options.inputCount} inputs`,
      { kind: "transient", provider: options.provider },
    );
  }
  return {
    model: options.model,
    adapterType: "vertex",
    embeddings,
    usage: { inputTokens, totalTokens: inputTokens },
  };
}
