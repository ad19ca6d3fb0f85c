import type { ModelConfig } from "../../config/index.js";
import type { CallOptions } from "../../engine/call.js";
import type { ProviderFactory } from "../../engine/provider-factory.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ContentFeature } from "../../llm/content-features.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { WirePassThrough } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { Affinity } from "./affinity.js";

/** One candidate of a model: one key of one provider, serving one upstream model. */
export interface Target {
  /**
   * The engine's name for it: `provider/model`, or `provider#key/model` for multi-key providers.
   */
  id: string;
  provider: string;
  keyId: string;
  model: string;
  /**
   * The adapter's same-protocol pass-through, when its vendor speaks a protocol the gateway serves.
   */
  wire?: WirePassThrough;
  /** Client headers this target receives on the pass-through (lower-case). */
  forwardHeaders?: ReadonlySet<string>;
  /** The content beyond text and images its adapter can send when translating (none if absent). */
  acceptedContent?: readonly ContentFeature[];
  /**
   * The reasoning origin its adapter sends back (`LlmProvider.reasoningOrigin`); others are left
   * out.
   */
  reasoningOrigin?: string;
}

/** A model clients can ask for, with its engines for chat and embeddings. */
export interface ModelRoute {
  /** The model name clients ask for (for a route made on demand, the name that was asked for). */
  name: string;
  /**
   * The config entry the route comes from: its own name for a configured route, the wildcard
   * model's name (`gpt-*`) or `<provider>/*` for one made on demand. Bounded: a metric label.
   */
  configured: string;
  /** True when the name is a provider's own model, routed directly (not in `models:`). */
  direct: boolean;
  targets: ReadonlyMap<string, Target>;
  chat: ProviderFactory<ChatRequest, ChatResult, ChatStreamPart>;
  embeddings: ProviderFactory<EmbeddingsRequest, EmbeddingsResult>;
  chatOptions: CallOptions<ChatRequest>;
  embeddingsOptions: CallOptions<EmbeddingsRequest>;
  /** Cache affinity (`affinity:` on the model), when on. */
  affinity: Affinity | undefined;
  /** Every client header some target of this model may receive on the pass-through. */
  wireHeaders?: readonly string[];
  /** What a stream broken after its first byte does (`streamRecovery:`); undefined: it fails. */
  streamRecovery?: ModelConfig["streamRecovery"];
}

/** A model's two engines: their targets share names, but circuits and slots are kept apart. */
export type EngineKind = "chat" | "embeddings";
