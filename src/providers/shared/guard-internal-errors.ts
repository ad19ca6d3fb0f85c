import type { ProviderContext } from "../../engine/provider.js";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatRequest } from "../../llm/chat.js";
import type { EmbeddingsRequest } from "../../llm/embeddings.js";
import type { LlmProvider, WirePassThrough } from "../../llm/llm-provider.js";
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
 * streams included (before and after their first part), and so are its pass-through's calls.
 * Every adapter returns itself through this.
 */
export function guardInternalErrors(adapter: LlmProvider, provider: string): LlmProvider {
  const { generate, stream, embed, wire } = adapter;
  const guarded: LlmProvider = {
    ...adapter,
    ...(wire === undefined ? {} : { wire: guardWire(wire, provider) }),
    generate: (request: ChatRequest, context: ProviderContext) =>
      guardCall(() => generate.call(adapter, request, context), provider, context.signal),
    stream: (request: ChatRequest, context: ProviderContext) =>
      guardStream(stream.call(adapter, request, context), provider, context.signal),
  };
  if (embed !== undefined) {
    guarded.embed = (request: EmbeddingsRequest, context: ProviderContext) =>
      guardCall(() => embed.call(adapter, request, context), provider, context.signal);
  }
  return guarded;
}

/** The pass-through's calls, classified like the translated ones: its body and readers are ours. */
function guardWire(wire: WirePassThrough, provider: string): WirePassThrough {
  const { generate, stream, forward } = wire;
  const guarded: WirePassThrough = {
    ...wire,
    generate: (request, model, context) =>
      guardCall(() => generate.call(wire, request, model, context), provider, context.signal),
    stream: (request, model, context) =>
      guardStream(stream.call(wire, request, model, context), provider, context.signal),
  };
  if (forward !== undefined) {
    guarded.forward = (path, request, model, context) =>
      guardCall(() => forward.call(wire, path, request, model, context), provider, context.signal);
  }
  return guarded;
}

function guardCall<T>(call: () => Promise<T>, provider: string, signal: AbortSignal): Promise<T> {
  try {
    return call().then(undefined, rethrowClassified(provider, signal));
  } catch (error) {
    return Promise.reject(toInternalError(error, provider, signal));
  }
}

function rethrowClassified(provider: string, signal: AbortSignal): (error: unknown) => never {
  return (error) => {
    throw toInternalError(error, provider, signal);
  };
}

/**
 * The stream's own iterator, with its failures classified: no extra generator between the adapter
 * and the engine, so a part costs one promise reaction more, not a generator's round trip.
 */
function guardStream(
  parts: AsyncIterable<ChatStreamPart>,
  provider: string,
  signal: AbortSignal,
): AsyncIterable<ChatStreamPart> {
  const classify = rethrowClassified(provider, signal);
  return {
    [Symbol.asyncIterator]() {
      const iterator = parts[Symbol.asyncIterator]();
      return {
        next: () => iterator.next().then(undefined, classify),
        return: (value?: unknown) =>
          iterator.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
      };
    },
  };
}
