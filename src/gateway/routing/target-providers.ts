import type { Provider } from "../../engine/provider.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";

/** The chat side of one target: the adapter, called with the target's upstream model name. */
export function chatTarget(
  adapter: LlmProvider,
  model: string,
): Provider<ChatRequest, ChatResult, ChatStreamPart> {
  return {
    generate: (request, context) => adapter.generate({ ...request, model }, context),
    stream: (request, context) => adapter.stream({ ...request, model }, context),
    healthCheck: (context) => adapter.healthCheck(context),
  };
}

/** The embeddings side of one target, for adapters that can embed. */
export function embeddingsTarget(
  adapter: LlmProvider,
  model: string,
): Provider<EmbeddingsRequest, EmbeddingsResult> | undefined {
  const embed = adapter.embed?.bind(adapter);
  if (!embed) return undefined;
  return {
    generate: (request, context) => embed({ ...request, model }, context),
    healthCheck: (context) => adapter.healthCheck(context),
  };
}
