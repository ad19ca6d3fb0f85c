import type { ProviderContext } from "../../engine/provider.js";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatRequest } from "../../llm/chat.js";
import type { EmbeddingsRequest } from "../../llm/embeddings.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";

/**
 * What an adapter's failure is, at its boundary. A ProviderError (the network or the upstream,
 * already classified) and anything thrown once the call's signal fired (cancellation rethrows
 * `signal.reason`) pass as they are. Anything else was thrown by our own code while preparing the
 * request or mapping the answer (a TypeError in a mapper, a RangeError from a deeply nested body)
 * and becomes kind `internal`: the engine tries the next provider and counts it against none.
 */
export function toInternalError(error: unknown, provider: string, signal: AbortSignal): unknown {
  if (error instanceof ProviderError || signal.aborted) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ProviderError(`${provider}: internal error: ${detail}`, {
    kind: "internal",
    provider,
    cause: error,
  });
}

/**
 * The adapter with its chat and embeddings calls classified at the boundary by `toInternalError`,
 * streams included (before and after their first part). Every adapter returns itself through this.
 */
export function guardInternalErrors(adapter: LlmProvider, provider: string): LlmProvider {
  const { generate, stream, embed } = adapter;
  const guarded: LlmProvider = {
    ...adapter,
    async generate(request: ChatRequest, context: ProviderContext) {
      try {
        return await generate.call(adapter, request, context);
      } catch (error) {
        throw toInternalError(error, provider, context.signal);
      }
    },
    async *stream(request: ChatRequest, context: ProviderContext): AsyncGenerator<ChatStreamPart> {
      try {
        yield* stream.call(adapter, request, context);
      } catch (error) {
        throw toInternalError(error, provider, context.signal);
      }
    },
  };
  if (embed !== undefined) {
    guarded.embed = async (request: EmbeddingsRequest, context: ProviderContext) => {
      try {
        return await embed.call(adapter, request, context);
      } catch (error) {
        throw toInternalError(error, provider, context.signal);
      }
    };
  }
  return guarded;
}
