import {
  type ModelConfig,
  type ProviderConfig,
  type ProviderKeyConfig,
  resolveEngineOptions,
  type SwitchyardConfig,
  type TargetConfig,
} from "../config/index.js";
import type { CallOptions } from "../engine/call.js";
import type { Clock } from "../engine/clock.js";
import { ProviderFactory } from "../engine/provider-factory.js";
import { callOptions, factoryOptions, targetOptions } from "../gateway/routing/engine-options.js";
import type { Target } from "../gateway/routing/model-router.js";
import { chatTarget } from "../gateway/routing/target-providers.js";
import type { ChatRequest, ChatResult } from "../llm/chat.js";
import type { LlmProvider } from "../llm/llm-provider.js";
import type { ChatStreamPart } from "../llm/stream-part.js";

/** A target as the simulation sees it: the gateway's target plus what one call to it costs. */
export interface SimulatedTarget extends Target {
  costPerCall: number;
}

/** One model's chat engine, built exactly as the gateway builds it. */
export interface SimulatedRoute {
  name: string;
  direct: boolean;
  targets: ReadonlyMap<string, SimulatedTarget>;
  chat: ProviderFactory<ChatRequest, ChatResult, ChatStreamPart>;
  chatOptions: CallOptions<ChatRequest>;
}

export interface BuildRoutesOptions {
  clock: Clock;
  /** Randomness for a model's engine (backoff jitter, weighted and exploring strategies). */
  randomFor(model: string): () => number;
  /** The adapter of one provider key (the same object for every model using that key). */
  adapterFor(provider: ProviderConfig, key: ProviderKeyConfig | undefined): LlmProvider;
  /** Input and output tokens of one call, to price targets without a `cost` from `pricing`. */
  tokens: { input: number; output: number };
}

/**
 * The gateway's routes (see `ModelRouter`), over the given adapters, with injected time and
 * randomness: one engine per model in `models:` and per model a provider lists under its own
 * `models:`, one candidate per target and key, with the same ids, priorities, weights and options
 * (`factoryOptions`, `targetOptions`, `callOptions`). A test keeps it in step with `ModelRouter`.
 */
export function buildSimulatedRoutes(
  config: SwitchyardConfig,
  skippedProviders: readonly string[],
  options: BuildRoutesOptions,
): Map<string, SimulatedRoute> {
  const routes = new Map<string, SimulatedRoute>();
  const usable = config.providers.filter((provider) => !skippedProviders.includes(provider.name));
  const providers = new Map(usable.map((provider) => [provider.name, provider]));
  for (const model of config.models) {
    routes.set(model.name, buildRoute(config, model, providers, false, options));
  }
  for (const provider of usable) {
    for (const name of provider.models ?? []) {
      if (routes.has(name)) continue;
      const targets = usable
        .filter((candidate) => candidate.models?.includes(name))
        .map((candidate) => ({ provider: candidate.name, model: name, weight: 1 }) as TargetConfig);
      const model = { name, targets } as ModelConfig;
      routes.set(name, buildRoute(config, model, providers, true, options));
    }
  }
  return routes;
}

function buildRoute(
  config: SwitchyardConfig,
  model: ModelConfig,
  providers: ReadonlyMap<string, ProviderConfig>,
  direct: boolean,
  options: BuildRoutesOptions,
): SimulatedRoute {
  const modelOptions = resolveEngineOptions(config.defaults, model);
  const chat = new ProviderFactory<ChatRequest, ChatResult, ChatStreamPart>({
    ...factoryOptions(modelOptions),
    clock: options.clock,
    random: options.randomFor(model.name),
  });
  const targets = new Map<string, SimulatedTarget>();
  for (const target of model.targets) {
    const provider = providers.get(target.provider);
    if (!provider) continue;
    const resolved = targetOptions(resolveEngineOptions(config.defaults, model, target));
    const keys = provider.keys.length > 0 ? provider.keys : [undefined];
    for (const key of keys) {
      const keyId = key?.id ?? "none";
      const id =
        keys.length > 1
          ? `${provider.name}#${keyId}/${target.model}`
          : `${provider.name}/${target.model}`;
      chat.register(id, chatTarget(options.adapterFor(provider, key), target.model), {
        ...resolved,
        priority: (target.priority ?? 0) + (key?.priority ?? 0) / 1000,
        weight: target.weight * (key?.weight ?? 1),
        cost: target.cost ?? 0,
        maxConcurrency: key?.maxConcurrency ?? resolved.maxConcurrency,
        metadata: { provider: provider.name, keyId, model: target.model },
      });
      targets.set(id, {
        id,
        provider: provider.name,
        keyId,
        model: target.model,
        costPerCall: target.cost ?? priceOf(config, target.model, options.tokens),
      });
    }
  }
  return { name: model.name, direct, targets, chat, chatOptions: callOptions(modelOptions) };
}

/** USD for one call of `model` from `pricing` (per million tokens), or 0 when it has no price. */
export function priceOf(
  config: SwitchyardConfig,
  model: string,
  tokens: { input: number; output: number },
): number {
  const price = Object.hasOwn(config.pricing, model) ? config.pricing[model] : undefined;
  if (!price) return 0;
  return (tokens.input * price.input + tokens.output * price.output) / 1_000_000;
}
