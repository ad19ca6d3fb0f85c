import type { ProviderConfig, ProviderKeyConfig, SwitchyardConfig } from "../config/index.js";
import type { Clock } from "../engine/clock.js";
import type { ModelRoute, Target } from "../gateway/routing/model-route.js";
import { ModelRouter } from "../gateway/routing/model-router.js";
import type { LlmProvider } from "../llm/llm-provider.js";

/** A target as the simulation sees it: the gateway's target plus what one call to it costs. */
export interface SimulatedTarget extends Target {
  costPerCall: number;
}

/** One model's route, built by the gateway's own `ModelRouter`, with each target's cost per call. */
export interface SimulatedRoute extends ModelRoute {
  targets: ReadonlyMap<string, SimulatedTarget>;
}

export interface BuildRoutesOptions {
  clock: Clock;
  /** Randomness for a model's chat engine (backoff jitter, weighted and exploring strategies). */
  randomFor(model: string): () => number;
  /** The adapter of one provider key (the same object for every model using that key). */
  adapterFor(provider: ProviderConfig, key: ProviderKeyConfig | undefined): LlmProvider;
  /** Input and output tokens of one call, to price targets without a `cost` from `pricing`. */
  tokens: { input: number; output: number };
}

/**
 * The gateway's routes, made by its `ModelRouter` over the given adapters with injected time and
 * randomness, so a simulation routes exactly as the gateway would (key limits and embeddings
 * included). Each target also gets its cost per call.
 */
export function buildSimulatedRoutes(
  config: SwitchyardConfig,
  skippedProviders: readonly string[],
  options: BuildRoutesOptions,
): Map<string, SimulatedRoute> {
  const router = new ModelRouter(config, skippedProviders, {
    clock: options.clock,
    random: (model, engine) => options.randomFor(engine === "chat" ? model : `${model}:${engine}`),
    createAdapter: options.adapterFor,
  });
  const routes = new Map<string, SimulatedRoute>();
  for (const [name, route] of router.routes) {
    const targets = new Map<string, SimulatedTarget>();
    for (const [id, target] of route.targets) {
      const model = config.models.find((entry) => entry.name === route.name);
      const configured = model?.targets.find(
        (entry) => entry.provider === target.provider && entry.model === target.model,
      );
      const costPerCall = configured?.cost ?? priceOf(config, target.model, options.tokens);
      targets.set(id, { ...target, costPerCall });
    }
    routes.set(name, { ...route, targets });
  }
  return routes;
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
