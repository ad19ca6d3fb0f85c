import type { SwitchyardConfig } from "../config/index.js";
import { costOf, findPrice } from "../store/cost.js";
import type { ObservedTarget } from "./observed-gateway.js";
import type { RequestEnd } from "./request-observer.js";

/** A request's facts in bounded form: every value comes from the config, never from the client. */
export interface RequestFacts {
  /** The route's name, or `none` when the model was unknown or never read. */
  model: string;
  /** The provider that served, `cache` for a cache hit, or `none`. */
  provider: string;
  /** The configured client, or `anonymous`. */
  client: string;
  /** The target that served. */
  target: ObservedTarget | undefined;
  /** USD, when the upstream model has a price (0 for a cache hit). */
  costUsd: number | undefined;
}

export function requestFacts(end: RequestEnd, config: SwitchyardConfig): RequestFacts {
  const served = end.report?.targetId;
  const target = served === undefined ? undefined : end.route?.targets.get(served);
  const cached = end.report?.cached === true;
  return {
    model: end.route?.configured ?? end.route?.name ?? "none",
    provider: target?.provider ?? (cached ? "cache" : "none"),
    client: end.client ?? "anonymous",
    target,
    costUsd: cached ? 0 : requestCost(end, config, target),
  };
}

function requestCost(
  end: RequestEnd,
  config: SwitchyardConfig,
  target: ObservedTarget | undefined,
): number | undefined {
  if (!end.usage || end.outcome === "error") return undefined;
  const price = findPrice(config.pricing, target?.model, end.route?.name);
  return price ? costOf(price, end.usage) : undefined;
}

/** The `type` a provider is configured with (the wire format it speaks), for `gen_ai.system`. */
export function providerType(config: SwitchyardConfig, provider: string): string | undefined {
  return config.providers.find((entry) => entry.name === provider)?.type;
}
