import type { ProviderOptions } from "./chat.js";

export interface EmbeddingsRequest {
  model: string;
  input: string[];
  /** Output dimensions, where the model supports choosing them. */
  dimensions?: number;
  user?: string;
  providerOptions?: ProviderOptions;
}

export interface EmbeddingsResult {
  model: string;
  /** The adapter type that answered (`openai`, `gemini`, ...). */
  adapterType: string;
  /** One vector per input, in input order. */
  embeddings: number[][];
  usage: { inputTokens: number; totalTokens: number } | undefined;
}
