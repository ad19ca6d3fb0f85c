import type { SwitchyardConfig } from "../config/index.js";
import type { ProviderFactory } from "../engine/provider-factory.js";
import type { ChatRequest, ChatResult } from "../llm/chat.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../llm/embeddings.js";
import type { ChatStreamPart } from "../llm/stream-part.js";

/**
 * What observability reads of the gateway it watches. The gateway's own types (`ModelRouter`,
 * `ModelRoute`, `Target`, `GatewayState`) satisfy these, so observe never imports the gateway:
 * the gateway builds observe and hands it what it needs.
 */

/** One upstream target of a model: `Target` in the gateway's router. */
export interface ObservedTarget {
  /** The engine's name for it: `provider/model`, or `provider#key/model` for multi-key providers. */
  id: string;
  /** The config provider's name. */
  provider: string;
  keyId: string;
  /** The upstream model. */
  model: string;
}

/** A model clients can ask for, with its two engines: `ModelRoute` in the gateway's router. */
export interface ObservedRoute {
  readonly name: string;
  /** The config entry it comes from (`gpt-*` for a wildcard's route): a bounded metric label. */
  readonly configured?: string;
  /** True when the name is a provider's own model, routed directly (not in `models:`). */
  readonly direct: boolean;
  readonly targets: ReadonlyMap<string, ObservedTarget>;
  readonly chat: ProviderFactory<ChatRequest, ChatResult, ChatStreamPart>;
  readonly embeddings: ProviderFactory<EmbeddingsRequest, EmbeddingsResult>;
}

/** The gateway's routing of the moment: `ModelRouter`. */
export interface ObservedRouter {
  readonly routes: ReadonlyMap<string, ObservedRoute>;
  route(model: string): ObservedRoute | undefined;
}

/** The gateway's state of the moment, swapped whole on reload: `GatewayState`. */
export interface ObservedState {
  readonly config: SwitchyardConfig;
  readonly router: ObservedRouter;
  /** Providers skipped for want of a key. */
  readonly skippedProviders: readonly string[];
}

/** What the dashboard and its admin API need of the server they are mounted on. */
export interface AdminHost {
  /** True while shutting down. */
  draining(): boolean;
  /** The key a request presents (Bearer or `x-api-key`), read as the gateway reads client keys. */
  presentedKey(headers: Headers): string | undefined;
}
