import type {
  ModelConfig,
  ProviderConfig,
  ProviderKeyConfig,
  SwitchyardConfig,
  TargetConfig,
} from "../../config/index.js";
import { substitute } from "../../config/model-pattern.js";
import { type Clock, systemClock } from "../../engine/clock.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import { buildRoute, type RouteContext, type RouteOptions } from "./build-route.js";
import { adapterFingerprint, createAdapter } from "./create-adapter.js";
import { KeyLimits } from "./key-limits.js";
import type { ProviderTypes } from "./load-provider-modules.js";
import type { ModelRoute } from "./model-route.js";
import { RouteCache } from "./route-cache.js";
import { matchRoute, type RouteMatch, wildcardModels } from "./route-match.js";

export interface ModelRouterOptions extends RouteOptions {
  /** Makes the adapter of one provider key. Default: the real adapter of the provider's `type`. */
  createAdapter?: (provider: ProviderConfig, key: ProviderKeyConfig | undefined) => LlmProvider;
  /** Adapters of a previous router, by fingerprint: reused when unchanged, keeping their pools. */
  reuse?: ReadonlyMap<string, LlmProvider>;
  /** Factories of `type: module` providers, by their `module` text (see `loadProviderModules`). */
  providerTypes?: ProviderTypes;
  /**
   * Routes made on demand (`provider/model`, wildcards) kept at once. Default
   * `MAX_ON_DEMAND_ROUTES`.
   */
  maxOnDemandRoutes?: number;
}

/**
 * How many routes made on demand a router keeps (each is two engines with their circuits): the one
 * used longest ago is closed past this. Enough for every model a team really calls; a client
 * cycling through made-up names only churns this cache, never grows memory.
 */
export const MAX_ON_DEMAND_ROUTES = 256;

/**
 * Turns a config into routes: one failover engine per model (logical models from `models:`, and
 * each model a provider lists under its own `models:`), with one candidate per target and key.
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
  private readonly providerNames: ReadonlySet<string>;
  private readonly wildcards: readonly ModelConfig[];
  private readonly onDemand: RouteCache<ModelRoute>;
  private readonly context: RouteContext;

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
    const usable = config.providers.filter((provider) => !skippedProviders.includes(provider.name));
    const providers = new Map(usable.map((provider) => [provider.name, provider]));
    this.context = {
      providers,
      defaults: config.defaults,
      options,
      adapter: (provider, key) => this.adapter(provider, key),
      keyLimits: (provider, key) => this.keyLimits(provider, key),
    };
    this.providerNames = new Set(providers.keys());
    this.wildcards = wildcardModels(config.models);
    this.onDemand = new RouteCache(options.maxOnDemandRoutes ?? MAX_ON_DEMAND_ROUTES, (route) => {
      void closeRoute(route);
    });
    for (const model of config.models) {
      if (this.wildcards.includes(model)) continue;
      this.routes.set(model.name, buildRoute(this.context, model, false));
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
        this.routes.set(name, buildRoute(this.context, model, true));
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
   * its own engines (so a circuit is per provider key and upstream model). Call only once the
   * client is known to be allowed the name: a route is built here.
   */
  open(match: RouteMatch): ModelRoute {
    if (match.kind === "exact") return this.routes.get(match.name) as ModelRoute;
    const kept = this.onDemand.get(match.name);
    if (kept) return kept;
    const route =
      match.kind === "provider"
        ? buildRoute(
            this.context,
            {
              name: match.name,
              targets: [{ provider: match.provider, model: match.model, weight: 1 }],
            } as ModelConfig,
            true,
            `${match.provider}/*`,
          )
        : buildRoute(
            this.context,
            {
              ...match.model,
              name: match.name,
              targets: match.model.targets.map((target) => ({
                ...target,
                model: substitute(target.model, match.captured),
              })),
            },
            false,
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
