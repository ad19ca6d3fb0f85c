import type { Provider, ProviderContext } from "../../engine/provider.js";
import type { ChatRequest, ChatResult, WireRequest } from "../../llm/chat.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { LlmProvider, WirePassThrough } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { type TargetAdditions, withTargetAdditions } from "../../llm/target-additions.js";
import { requestForTarget } from "../continuation/continuation-request.js";
import type { KeyLimits } from "./key-limits.js";
import { refuseIfFiltered, refuseIfFilteredFirst } from "./refusals.js";

/**
 * The chat side of one target: the adapter, called with the target's upstream model name, within
 * the key's own rpm/tpm limits when it has any. A request that carries the client's own body in the
 * adapter's wire protocol passes through (`WireRequest`), with the client headers this target may
 * receive (`forwardHeaders`); any other is translated by the adapter. A stream continuation is
 * asked with an assistant prefill when `prefill` (see `requestForTarget`).
 */
export function chatTarget(
  adapter: LlmProvider,
  model: string,
  limits?: KeyLimits,
  passThrough?: TargetPassThrough,
  options: ChatTargetOptions = {},
): Provider<ChatRequest, ChatResult, ChatStreamPart> {
  const { additions, contentFilterFallback } = options;
  const prefill = options.prefill ?? adapter.assistantPrefill === true;
  const wire = passThrough?.wire;
  const forwardHeaders = passThrough?.forwardHeaders ?? new Set<string>();
  const forwardedOf = (request: ChatRequest): WireRequest | undefined =>
    wire && request.wire?.protocol === wire.protocol
      ? withHeaders(request.wire, forwardHeaders)
      : undefined;
  const generate = (request: ChatRequest, engineContext: ProviderContext): Promise<ChatResult> => {
    const forwarded = forwardedOf(request);
    const context = withTargetAdditions(engineContext, additions);
    const result = forwarded
      ? (wire as WirePassThrough).generate(forwarded, model, context)
      : adapter.generate({ ...request, model }, context);
    return contentFilterFallback ? result.then(refuseIfFiltered) : result;
  };
  const stream = (
    request: ChatRequest,
    engineContext: ProviderContext,
  ): AsyncIterable<ChatStreamPart> => {
    const forwarded = forwardedOf(request);
    const context = withTargetAdditions(engineContext, additions);
    const parts = forwarded
      ? (wire as WirePassThrough).stream(forwarded, model, context)
      : adapter.stream({ ...requestForTarget(request, prefill), model }, context);
    return contentFilterFallback ? refuseIfFilteredFirst(parts) : parts;
  };
  if (!limits) {
    return { generate, stream, healthCheck: (context) => adapter.healthCheck(context) };
  }
  return {
    generate: async (request, context) => {
      limits.admit();
      const result = await generate(request, context);
      limits.recordTokens(result.usage?.totalTokens ?? 0);
      return result;
    },
    async *stream(request, context) {
      limits.admit();
      for await (const part of stream(request, context)) {
        if (part.type === "usage") limits.recordTokens(part.usage.totalTokens);
        yield part;
      }
    },
    healthCheck: (context) => adapter.healthCheck(context),
  };
}

/** What a target does besides calling its adapter. */
export interface ChatTargetOptions {
  /** Its `params` and `headers`, for every request it sends. */
  additions?: TargetAdditions;
  /** Its model's `contentFilterFallback`: a refused answer is thrown so the call moves on. */
  contentFilterFallback?: boolean;
  /** Whether a stream continuation asks it with an assistant prefill (default: the adapter's). */
  prefill?: boolean;
}

/** A target's pass-through: the adapter's, unless the provider turned it off. */
export interface TargetPassThrough {
  wire: WirePassThrough;
  /** Client headers it may receive (lower-case): its protocol's allowlist and its provider's own. */
  forwardHeaders: ReadonlySet<string>;
}

/** The client's headers this target may receive: its protocol's allowlist and its provider's own. */
function withHeaders(request: WireRequest, allowed: ReadonlySet<string>): WireRequest {
  const headers: Record<string, string> = {};
  for (const name in request.headers) {
    if (allowed.has(name)) headers[name] = request.headers[name] as string;
  }
  return { ...request, headers };
}

/** The embeddings side of one target, for adapters that can embed. */
export function embeddingsTarget(
  adapter: LlmProvider,
  model: string,
  additions?: TargetAdditions,
): Provider<EmbeddingsRequest, EmbeddingsResult> | undefined {
  const embed = adapter.embed?.bind(adapter);
  if (!embed) return undefined;
  return {
    generate: (request, context) =>
      embed({ ...request, model }, withTargetAdditions(context, additions)),
    healthCheck: (context) => adapter.healthCheck(context),
  };
}
