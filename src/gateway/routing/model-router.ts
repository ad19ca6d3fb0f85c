import {
  type ModelConfig,
  type ProviderConfig,
  type ProviderKeyConfig,
  resolveEngineOptions,
  type SwitchyardConfig,
  type TargetConfig,
} from "../../config/index.js";
import { substitute } from "../../config/model-pattern.js";
import type { CacheStore } from "../../engine/cache-store.js";
import type { CallOptions } from "../../engine/call.js";
import { type Clock, systemClock } from "../../engine/clock.js";
import { ProviderFactory } from "../../engine/provider-factory.js";
import type { SharedState } from "../../engine/shared-state.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ContentFeature } from "../../llm/content-features.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { LlmProvider, WirePassThrough } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { TargetAdditions } from "../../llm/target-additions.js";
import { type AffinityStore, MemoryAffinityStore } from "../../state/affinity-store.js";
import { forwardableHeaders } from "../protocols/chat-protocols.js";
import { Affinity } from "./affinity.js";
import { adapterFingerprint, createAdapter } from "./create-adapter.js";
import { callOptions, factoryOptions, targetOptions } from "./engine-options.js";
import { KeyLimits } from "./key-limits.js";
import type { ProviderTypes } from "./load-provider-modules.js";
import { RouteCache } from "./route-cache.js";
import { matchRoute, type RouteMatch, wildcardModels } from "./route-match.js";
import { chatTarget, embeddingsTarget } from "./target-providers.js";

/** One candidate of a model: one key of one provider, serving one upstream model. */
export interface Target {
  /** The engine's name for it: `provider/model`, or `provider#key/model` for multi-key providers. */
  id: string;
  provider: string;
  keyId: string;
  model: string;
  /** The adapter's same-protocol pass-through, when its vendor speaks a protocol the gateway serves. */
  wire?: WirePassThrough;
  /** Client headers this target receives on the pass-through (lower-case). */
  forwardHeaders?: ReadonlySet<string>;
  /** The content beyond text and images its adapter can send when translating (none if absent). */
  acceptedContent?: readonly ContentFeature[];
  /** The reasoning origin its adapter sends back (`LlmProvider.reasoningOrigin`); others are left out. */
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

export interface ModelRouterOptions {
  /** Time for every engine and for the keys' rpm/tpm windows. Default: the system clock. */
  clock?: Clock;
  /** Randomness of a model's engine (backoff jitter, weighted and exploring strategies). */
  random?: (model: string, engine: EngineKind) => () => number;
  /** Makes the adapter of one provider key. Default: the real adapter of the provider's `type`. */
  createAdapter?: (provider: ProviderConfig, key: ProviderKeyConfig | undefined) => LlmProvider;
  /** Adapters of a previous router, by fingerprint: reused when unchanged, keeping their pools. */
  reuse?: ReadonlyMap<string, LlmProvider>;
  /** State shared with other gateway instances, one view per model and engine (Redis). */
  sharedState?: (model: string, engine: EngineKind) => SharedState;
  /** The response cache of a model's engine, when not each engine's own memory (Redis). */
  cacheStore?: (model: string, engine: EngineKind) => CacheStore;
  /** Where a model's cache affinities live, when not in memory (Redis). */
  affinityStore?: (model: string) => AffinityStore;
  /** Factories of `type: module` providers, by their `module` text (see `loadProviderModules`). */
  providerTypes?: ProviderTypes;
  /** Routes made on demand (`provider/model`, wildcards) kept at once. Default `MAX_ON_DEMAND_ROUTES`. */
  maxOnDemandRoutes?: number;
}

/**
 * How many routes made on demand a router keeps (each is two engines with their circuits): the one
 * used longest ago is closed past this. Enough for every model a team really calls; a client cycling
 * through made-up names only churns this cache, never grows memory.
 */
export const MAX_ON_DEMAND_ROUTES = 256;

/** A model's two engines: their targets share names, but circuits and slots are kept apart. */
export type EngineKind = "chat" | "embeddings";

/**
 * Turns a config into routes: one failover engine per model (logical models from `models:`, and each
 * model a provider lists under its own `models:`), with one candidate per target and key.
 */
export class ModelRouter {
  /** The configured routes: logical models with an exact name, and the models providers list. */
  readonly routes = new Map<string, ModelRoute>();
  /** Time for every engine (deadlines of a whole fallback list are read on it too). */
  readonly clock: Clock;
  /** The adapters this router uses, by fingerprint (see `adapterFingerprint`). */
  readonly adapters = new Map<string, LlmProvider>();
  private readonly reuse: ReadonlyMap<string, LlmProvider>;
  private readonly providerTypes: ProviderTypes;
  private readonly limits = new Map<string, KeyLimits>();
  private readonly createAdapter: NonNullable<ModelRouterOptions["createAdapter"]>;
  private readonly now: (() => number) | undefined;
  private readonly providers: ReadonlyMap<string, ProviderConfig>;
  private readonly providerNames: ReadonlySet<string>;
  private readonly wildcards: readonly ModelConfig[];
  private readonly onDemand: RouteCache<ModelRoute>;
  private readonly options: ModelRouterOptions;

  constructor(
    readonly config: SwitchyardConfig,
    skippedProviders: readonly string[],
    options: ModelRouterOptions = {},
  ) {
    this.reuse = options.reuse ?? new Map();
    this.providerTypes = options.providerTypes ?? {};
    const providerTypes = this.providerTypes;
    this.createAdapter =
      options.createAdapter ?? ((provider, key) => createAdapter(provider, key, providerTypes));
    const clock = options.clock;
    this.clock = clock ?? systemClock;
    this.now = clock ? () => clock.now() : undefined;
    this.options = options;
    const usable = config.providers.filter((provider) => !skippedProviders.includes(provider.name));
    const providers = new Map(usable.map((provider) => [provider.name, provider]));
    this.providers = providers;
    this.providerNames = new Set(providers.keys());
    this.wildcards = wildcardModels(config.models);
    this.onDemand = new RouteCache(options.maxOnDemandRoutes ?? MAX_ON_DEMAND_ROUTES, (route) => {
      void closeRoute(route);
    });
    for (const model of config.models) {
      if (this.wildcards.includes(model)) continue;
      this.routes.set(model.name, this.buildRoute(model, providers, false, options));
    }
    for (const provider of usable) {
      for (const name of provider.models ?? []) {
        if (this.routes.has(name)) continue;
        const targets = usable
          .filter((candidate) => candidate.models?.includes(name))
          .map(
            (candidate) => ({ provider: candidate.name, model: name, weight: 1 }) as TargetConfig,
          );
        const model = { name, targets } as ModelConfig;
        this.routes.set(name, this.buildRoute(model, providers, true, options));
      }
    }
  }

  /** The route of a configured name, or of an on-demand route already made for that name. */
  route(model: string): ModelRoute | undefined {
    return this.routes.get(model) ?? this.onDemand.peek(model);
  }

  /** Which rule would serve a model name (see `matchRoute`); nothing is built. */
  match(model: string): RouteMatch | undefined {
    return matchRoute(model, (name) => this.routes.has(name), this.providerNames, this.wildcards);
  }

  /**
   * The route of a match: a configured one, or one made on demand and kept in a bounded LRU, with
   * its own engines (so a circuit is per provider key and upstream model). Call only once the client
   * is known to be allowed the name: a route is built here.
   */
  open(match: RouteMatch): ModelRoute {
    if (match.kind === "exact") return this.routes.get(match.name) as ModelRoute;
    const kept = this.onDemand.get(match.name);
    if (kept) return kept;
    const route =
      match.kind === "provider"
        ? this.buildRoute(
            {
              name: match.name,
              targets: [{ provider: match.provider, model: match.model, weight: 1 }],
            } as ModelConfig,
            this.providers,
            true,
            this.options,
            `${match.provider}/*`,
          )
        : this.buildRoute(
            {
              ...match.model,
              name: match.name,
              targets: match.model.targets.map((target) => ({
                ...target,
                model: substitute(target.model, match.captured),
              })),
            },
            this.providers,
            false,
            this.options,
            match.model.name,
          );
    this.onDemand.set(match.name, route);
    return route;
  }

  /** How many routes made on demand are kept now. */
  get onDemandRoutes(): number {
    return this.onDemand.size;
  }

  /** Starts periodic health checks on every model's engine. */
  async startHealthChecks(): Promise<void> {
    await Promise.all([...this.routes.values()].map((route) => route.chat.startHealthChecks()));
  }

  /** Waits for calls in flight, then releases every adapter's connections. */
  async close(options: { abortAfterMs?: number; keepAdapters?: boolean } = {}): Promise<void> {
    const routes = [...this.routes.values(), ...this.onDemand.clear()];
    const engines = routes.flatMap((route) => [route.chat, route.embeddings]);
    await Promise.all(engines.map((engine) => engine.close(options)));
    if (!options.keepAdapters) await Promise.all([...this.adapters.values()].map((a) => a.close()));
  }

  /** Closes the adapters this router made that `next` does not use (after a reload). */
  async closeAdaptersNotIn(next: ModelRouter): Promise<void> {
    const kept = new Set(next.adapters.values());
    await Promise.all(
      [...this.adapters.values()].filter((a) => !kept.has(a)).map((a) => a.close()),
    );
  }

  private buildRoute(
    model: ModelConfig,
    providers: ReadonlyMap<string, ProviderConfig>,
    direct: boolean,
    routerOptions: ModelRouterOptions,
    configured = model.name,
  ): ModelRoute {
    const modelOptions = resolveEngineOptions(this.config.defaults, model);
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
    const targets = new Map<string, Target>();
    for (const target of model.targets) {
      const provider = providers.get(target.provider);
      if (!provider) continue;
      const options = targetOptions(resolveEngineOptions(this.config.defaults, model, target));
      const additions = targetAdditions(target);
      const upstream = upstreamModel(target);
      const keys = provider.keys.length > 0 ? provider.keys : [undefined];
      for (const key of keys) {
        const keyId = key?.id ?? "none";
        const id =
          keys.length > 1
            ? `${provider.name}#${keyId}/${target.model}`
            : `${provider.name}/${target.model}`;
        const adapter = this.adapter(
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
            this.keyLimits(provider, key),
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
        targets.set(id, {
          id,
          provider: provider.name,
          keyId,
          model: target.model,
          ...(wire ? { wire, forwardHeaders } : {}),
          acceptedContent: adapter.acceptedContent?.(upstream) ?? [],
          ...(reasoningOrigin === undefined ? {} : { reasoningOrigin }),
        });
      }
    }
    const wireHeaders = new Set<string>();
    for (const target of targets.values()) {
      for (const name of target.forwardHeaders ?? []) wireHeaders.add(name);
    }
    return {
      name: model.name,
      configured,
      direct,
      wireHeaders: [...wireHeaders],
      targets,
      chat,
      embeddings,
      ...(model.streamRecovery ? { streamRecovery: model.streamRecovery } : {}),
      chatOptions: callOptions(modelOptions),
      embeddingsOptions: callOptions(modelOptions),
      affinity: model.affinity
        ? new Affinity(
            routerOptions.affinityStore?.(model.name) ?? new MemoryAffinityStore(),
            model.affinity.ttlMs,
          )
        : undefined,
    };
  }

  /** The key's rpm/tpm limits, one per key across every model that uses it. */
  private keyLimits(
    provider: ProviderConfig,
    key: ProviderConfig["keys"][number] | undefined,
  ): KeyLimits | undefined {
    if (!key || (key.rpm === undefined && key.tpm === undefined)) return undefined;
    const id = `${provider.name}#${key.id}`;
    let limits = this.limits.get(id);
    if (!limits) {
      limits = new KeyLimits(`key ${key.id} of ${provider.name}`, key.rpm, key.tpm, this.now);
      this.limits.set(id, limits);
    }
    return limits;
  }

  private adapter(
    provider: ProviderConfig,
    key: ProviderConfig["keys"][number] | undefined,
  ): LlmProvider {
    const id = adapterFingerprint(provider, key);
    let adapter = this.adapters.get(id);
    if (!adapter) {
      adapter = this.reuse.get(id) ?? this.createAdapter(provider, key);
      this.adapters.set(id, adapter);
    }
    return adapter;
  }
}

/** Closes a route's engines once their calls in flight are done (a route dropped from the LRU). */
async function closeRoute(route: ModelRoute): Promise<void> {
  await Promise.all([route.chat.close(), route.embeddings.close()]).catch(() => undefined);
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

/** A target's pass-through: its adapter's, unless the provider turned it off or the model speaks another format. */
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
 * (`publishers/{publisher}/models/{model}`), which the adapter reads instead of judging by the name.
 */
function upstreamModel(target: TargetConfig): string {
  return target.publisher === undefined
    ? target.model
    : `publishers/${target.publisher}/models/${target.model}`;
}
