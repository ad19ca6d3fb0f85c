import type { Provider } from "../../engine/provider.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { KeyLimits } from "./key-limits.js";

/**
 * The chat side of one target: the adapter, called with the target's upstream model name, within
 * the key's own rpm/tpm limits when it has any.
 */
export function chatTarget(
  adapter: LlmProvider,
  model: string,
  limits?: KeyLimits,
): Provider<ChatRequest, ChatResult, ChatStreamPart> {
  if (!limits) {
    return {
      generate: (request, context) => adapter.generate({ ...request, model }, context),
      stream: (request, context) => adapter.stream({ ...request, model }, context),
      healthCheck: (context) => adapter.healthCheck(context),
    };
  }
  return {
    generate: async (request, context) => {
      limits.admit();
      const result = await adapter.generate({ ...request, model }, context);
      limits.recordTokens(result.usage?.totalTokens ?? 0);
      return result;
    },
    async *stream(request, context) {
      limits.admit();
      for await (const part of adapter.stream({ ...request, model }, context)) {
        if (part.type === "usage") limits.recordTokens(part.usage.totalTokens);
        yield part;
      }
    },
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
