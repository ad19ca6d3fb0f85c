import {
  type EngineDefaults,
  type ModelConfig,
  type ProviderConfig,
  type ProviderKeyConfig,
  resolveEngineOptions,
  type TargetConfig,
} from "../../config/index.js";
import type { CacheStore } from "../../engine/cache-store.js";
import type { Clock } from "../../engine/clock.js";
import type { RegisterOptions } from "../../engine/options.js";
import { ProviderFactory } from "../../engine/provider-factory.js";
import type { SharedState } from "../../engine/shared-state.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { LlmProvider, WirePassThrough } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { TargetAdditions } from "../../llm/target-additions.js";
import { type AffinityStore, MemoryAffinityStore } from "../../state/affinity-store.js";
import { forwardableHeaders } from "../protocols/chat-protocols.js";
import { Affinity } from "./affinity.js";
import { callOptions, factoryOptions, targetOptions } from "./engine-options.js";
import type { KeyLimits } from "./key-limits.js";
import type { EngineKind, ModelRoute, Target } from "./model-route.js";
import { chatTarget, embeddingsTarget } from "./target-providers.js";

/** The router's options a route's engines are built with (see `ModelRouterOptions`). */
export interface RouteOptions {
  /** Time for every engine and for the keys' rpm/tpm windows. Default: the system clock. */
  clock?: Clock;
  /** Randomness of a model's engine (backoff jitter, weighted and exploring strategies). */
  random?: (model: string, engine: EngineKind) => () => number;
  /** State shared with other gateway instances, one view per model and engine (Redis). */
  sharedState?: (model: string, engine: EngineKind) => SharedState;
  /** The response cache of a model's engine, when not each engine's own memory (Redis). */
  cacheStore?: (model: string, engine: EngineKind) => CacheStore;
  /** Where a model's cache affinities live, when not in memory (Redis). */
  affinityStore?: (model: string) => AffinityStore;
}

/** What building a route takes from its router. */
export interface RouteContext {
  /** The providers targets may use, by name (targets of any other provider are left out). */
  providers: ReadonlyMap<string, ProviderConfig>;
  /** The config's `defaults:`, under each model's and target's own options. */
  defaults: EngineDefaults;
  options: RouteOptions;
  /** The adapter of one provider key (the router keeps one per fingerprint). */
  adapter: (provider: ProviderConfig, key: ProviderKeyConfig | undefined) => LlmProvider;
  /** The rpm/tpm limits of one provider key, when it has any. */
  keyLimits: (
    provider: ProviderConfig,
    key: ProviderKeyConfig | undefined,
  ) => KeyLimits | undefined;
}

/** A route's two engines. */
type RouteEngines = Pick<ModelRoute, "chat" | "embeddings">;

/** What every key of one target shares. */
interface TargetPlan {
  model: ModelConfig;
  target: TargetConfig;
  provider: ProviderConfig;
  options: RegisterOptions;
  additions: TargetAdditions | undefined;
  upstream: string;
  /** True when the provider has more than one key: each key's id is then in the target's id. */
  multiKey: boolean;
}

/**
 * The route of one model: its two engines, with one candidate per target and key. `direct` and
 * `configured` are the route's fields of those names.
 */
export function buildRoute(
  context: RouteContext,
  model: ModelConfig,
  direct: boolean,
  configured = model.name,
): ModelRoute {
  const modelOptions = resolveEngineOptions(context.defaults, model);
  const engines = routeEngines(model, modelOptions, context.options);
  const targets = new Map<string, Target>();
  for (const target of model.targets) {
    const provider = context.providers.get(target.provider);
    if (!provider) continue;
    const keys = provider.keys.length > 0 ? provider.keys : [undefined];
    const plan: TargetPlan = {
      model,
      target,
      provider,
      options: targetOptions(resolveEngineOptions(context.defaults, model, target)),
      additions: targetAdditions(target),
      upstream: upstreamModel(target),
      multiKey: keys.length > 1,
    };
    for (const key of keys) {
      const built = registerKey(context, engines, plan, key);
      targets.set(built.id, built);
    }
  }
  const { affinityStore } = context.options;
  return {
    name: model.name,
    configured,
    direct,
    wireHeaders: wireHeadersOf(targets),
    targets,
    ...engines,
    ...(model.streamRecovery ? { streamRecovery: model.streamRecovery } : {}),
    chatOptions: callOptions(modelOptions),
    embeddingsOptions: callOptions(modelOptions),
    affinity: model.affinity
      ? new Affinity(affinityStore?.(model.name) ?? new MemoryAffinityStore(), model.affinity.ttlMs)
      : undefined,
  };
}

/** A model's chat and embeddings engines, with no targets yet. */
function routeEngines(
  model: ModelConfig,
  modelOptions: EngineDefaults,
  routerOptions: RouteOptions,
): RouteEngines {
  const { clock, random, sharedState, cacheStore } = routerOptions;
  const engineOptions = (kind: EngineKind) => ({
    ...factoryOptions(modelOptions),
    ...(clock ? { clock } : {}),
    ...(random ? { random: random(model.name, kind) } : {}),
    ...(sharedState ? { sharedState: sharedState(model.name, kind) } : {}),
    ...(cacheStore ? { cacheStore: cacheStore(model.name, kind) } : {}),
  });
  const chat = new ProviderFactory<ChatRequest, ChatResult, ChatStreamPart>({
    ...engineOptions("chat"),
    // A refusal is the caller's by default; with the flag another target may answer instead.
    ...(model.contentFilterFallback ? { failOverOn: ["content_filter"] as const } : {}),
  });
  const embeddings = new ProviderFactory<EmbeddingsRequest, EmbeddingsResult>(
    engineOptions("embeddings"),
  );
  return { chat, embeddings };
}

/** Registers one key of a target on both engines; returns the candidate it makes. */
function registerKey(
  context: RouteContext,
  { chat, embeddings }: RouteEngines,
  { model, target, provider, options, additions, upstream, multiKey }: TargetPlan,
  key: ProviderKeyConfig | undefined,
): Target {
  const keyId = key?.id ?? "none";
  const id = multiKey
    ? `${provider.name}#${keyId}/${target.model}`
    : `${provider.name}/${target.model}`;
  const adapter = context.adapter(
    target.api === undefined ? provider : { ...provider, api: target.api },
    key,
  );
  const register = {
    ...options,
    priority: (target.priority ?? 0) + (key?.priority ?? 0) / 1000,
    weight: target.weight * (key?.weight ?? 1),
    cost: target.cost ?? 0,
    maxConcurrency: key?.maxConcurrency ?? options.maxConcurrency,
    metadata: { provider: provider.name, keyId, model: target.model },
  };
  const wire = passThroughOf(adapter, provider, upstream);
  const forwardHeaders = new Set(
    wire ? [...forwardableHeaders(wire.protocol), ...(provider.forwardHeaders ?? [])] : [],
  );
  chat.register(
    id,
    chatTarget(
      adapter,
      upstream,
      context.keyLimits(provider, key),
      wire ? { wire, forwardHeaders } : undefined,
      {
        additions,
        contentFilterFallback: model.contentFilterFallback === true,
        prefill: target.prefill ?? adapter.assistantPrefill === true,
      },
    ),
    register,
  );
  const embeddingsProvider = embeddingsTarget(adapter, upstream, additions);
  if (embeddingsProvider) embeddings.register(id, embeddingsProvider, register);
  const reasoningOrigin = adapter.reasoningOrigin?.(upstream);
  return {
    id,
    provider: provider.name,
    keyId,
    model: target.model,
    ...(wire ? { wire, forwardHeaders } : {}),
    acceptedContent: adapter.acceptedContent?.(upstream) ?? [],
    ...(reasoningOrigin === undefined ? {} : { reasoningOrigin }),
  };
}

/** Every client header some target may receive on the pass-through. */
function wireHeadersOf(targets: ReadonlyMap<string, Target>): string[] {
  const wireHeaders = new Set<string>();
  for (const target of targets.values()) {
    for (const name of target.forwardHeaders ?? []) wireHeaders.add(name);
  }
  return [...wireHeaders];
}

/** What a target adds to each upstream request (`params`, `headers`), when it adds anything. */
function targetAdditions(target: TargetConfig): TargetAdditions | undefined {
  if (target.params === undefined && target.headers === undefined) return undefined;
  return {
    ...(target.params === undefined ? {} : { params: target.params }),
    ...(target.overrideParams ? { overrideParams: true } : {}),
    ...(target.headers === undefined ? {} : { headers: target.headers }),
  };
}

/**
 * A target's pass-through: its adapter's, unless the provider turned it off or the model speaks
 * another format.
 */
function passThroughOf(
  adapter: LlmProvider,
  provider: ProviderConfig,
  model: string,
): WirePassThrough | undefined {
  const wire = provider.passThrough === false ? undefined : adapter.wire;
  return wire?.servesModel === undefined || wire.servesModel(model) ? wire : undefined;
}

/**
 * The model name the adapter is given: the target's, or with a `publisher` set its resource path
 * (`publishers/{publisher}/models/{model}`), which the adapter reads instead of judging by the
 * name.
 */
function upstreamModel(target: TargetConfig): string {
  return target.publisher === undefined
    ? target.model
    : `publishers/${target.publisher}/models/${target.model}`;
}
