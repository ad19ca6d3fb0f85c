import type { Provider, ProviderContext } from "../engine/provider.js";
import type { ChatRequest, ChatResult, WireRequest } from "./chat.js";
import type { ContentFeature } from "./content-features.js";
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
  /**
   * Same-protocol pass-through, for adapters whose vendor speaks a protocol the gateway also serves:
   * the client's body forwarded as it came, the answer relayed as sent (see `WireRequest`).
   */
  readonly wire?: WirePassThrough;
  /**
   * Whether the vendor continues a trailing assistant message (an assistant prefill) rather than
   * answering after it; a stream continuation uses one when true. Default false.
   */
  readonly assistantPrefill?: boolean;
  /**
   * The `ReasoningPart.origin` this adapter can send back to its vendor for `model`. Reasoning parts
   * of any other origin are left out of the request it sends (the gateway records the omission);
   * undefined when it sends no reasoning back at all.
   */
  reasoningOrigin?(model: string): string | undefined;
  /**
   * The content beyond text and images this adapter can send to one upstream model (see
   * `ContentFeature`). Absent: none, so a translated request with documents, audio or media in tool
   * results is not sent to it.
   */
  acceptedContent?(model: string): readonly ContentFeature[];
  /** Releases pooled connections. */
  close(): Promise<void>;
}

/** An adapter's pass-through side: it speaks `protocol` natively. */
export interface WirePassThrough {
  /** The wire protocol this adapter's vendor speaks (a `ChatProtocol` name). */
  readonly protocol: string;
  /**
   * Top-level request fields this server rejects although the protocol has them (from the preset and
   * the provider config): a request using one is not sent here.
   */
  readonly unsupportedFields: readonly string[];
  /**
   * Whether an upstream model speaks `protocol` on this adapter, for vendors that serve several
   * formats (Claude on a cloud beside other families). Absent: every model does.
   */
  servesModel?(model: string): boolean;
  /** The answer body as sent (`wireBody`), with the unified fields the gateway reads filled in. */
  generate(request: WireRequest, model: string, context: ProviderContext): Promise<ChatResult>;
  /** `wire-event` parts as sent, plus `usage` and `finish` parts for accounting. */
  stream(
    request: WireRequest,
    model: string,
    context: ProviderContext,
  ): AsyncIterable<ChatStreamPart>;
  /** Any other endpoint of the protocol (e.g. token counting), forwarded as is; undefined if unknown. */
  forward?(
    path: string,
    request: WireRequest,
    model: string,
    context: ProviderContext,
  ): Promise<{ status: number; body: string }>;
}
