import type { Provider, ProviderContext } from "../engine/provider.js";
import type { ChatRequest, ChatResult } from "./chat.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "./embeddings.js";
import type { ChatStreamPart } from "./stream-part.js";

export interface ModelInfo {
  id: string;
  ownedBy: string | undefined;
}

/**
 * What every LLM adapter returns: an engine provider for chat (generate and stream), plus
 * embeddings and model listing where the vendor has them.
 */
export interface LlmProvider extends Provider<ChatRequest, ChatResult, ChatStreamPart> {
  /** The adapter type: `openai`, `anthropic`, `gemini` or `openai-compatible`. */
  readonly type: string;
  stream(request: ChatRequest, context: ProviderContext): AsyncIterable<ChatStreamPart>;
  healthCheck(context: ProviderContext): Promise<unknown>;
  embed?(request: EmbeddingsRequest, context: ProviderContext): Promise<EmbeddingsResult>;
  listModels?(context: ProviderContext): Promise<ModelInfo[]>;
  /** Releases pooled connections. */
  close(): Promise<void>;
}
