import type { ProviderContext } from "../../engine/provider.js";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatRequest } from "../../llm/chat.js";
import type { EmbeddingsRequest } from "../../llm/embeddings.js";
import type { LlmProvider, WirePassThrough } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { isAborted } from "./cancellation-of.js";

/**
 * What an adapter's failure is, at its boundary. A ProviderError (the network or the upstream,
 * already classified) and anything thrown once the attempt was aborted (cancellation rethrows its
 * reason) pass as they are. Anything else was thrown by our own code while preparing the
 * request or mapping the answer (a TypeError in a mapper, a RangeError from a deeply nested body)
 * and becomes kind `internal`: the engine tries the next provider and counts it against none.
 */
export function toInternalError(
  error: unknown,
  provider: string,
  context: ProviderContext,
): unknown {
  if (error instanceof ProviderError || isAborted(context)) return error;
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
      guardCall(() => generate.call(adapter, request, context), provider, context),
    stream: (request: ChatRequest, context: ProviderContext) =>
      guardStream(stream.call(adapter, request, context), provider, context),
  };
  if (embed !== undefined) {
    guarded.embed = (request: EmbeddingsRequest, context: ProviderContext) =>
      guardCall(() => embed.call(adapter, request, context), provider, context);
  }
  return guarded;
}

/** The pass-through's calls, classified like the translated ones: its body and readers are ours. */
function guardWire(wire: WirePassThrough, provider: string): WirePassThrough {
  const { generate, stream, forward } = wire;
  const guarded: WirePassThrough = {
    ...wire,
    generate: (request, model, context) =>
      guardCall(() => generate.call(wire, request, model, context), provider, context),
    stream: (request, model, context) =>
      guardStream(stream.call(wire, request, model, context), provider, context),
  };
  if (forward !== undefined) {
    guarded.forward = (path, request, model, context) =>
      guardCall(() => forward.call(wire, path, request, model, context), provider, context);
  }
  return guarded;
}

function guardCall<T>(
  call: () => Promise<T>,
  provider: string,
  context: ProviderContext,
): Promise<T> {
  try {
    return call().then(undefined, rethrowClassified(provider, context));
  } catch (error) {
    return Promise.reject(toInternalError(error, provider, context));
  }
}

function rethrowClassified(provider: string, context: ProviderContext): (error: unknown) => never {
  return (error) => {
    throw toInternalError(error, provider, context);
  };
}

/**
 * The stream's own iterator, with its failures classified: no extra generator between the adapter
 * and the engine, so a part costs one promise reaction more, not a generator's round trip.
 */
function guardStream(
  parts: AsyncIterable<ChatStreamPart>,
  provider: string,
  context: ProviderContext,
): AsyncIterable<ChatStreamPart> {
  const classify = rethrowClassified(provider, context);
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
