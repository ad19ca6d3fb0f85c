import type { ModelConfig } from "../../config/index.js";
import { isPattern, literalLength, matchPattern } from "../../config/model-pattern.js";

/**
 * Which config rule serves a requested model name, in this order: a configured route of that exact
 * name (a logical model, or a model a provider lists), then `provider/model` (split at the first
 * `/`, the provider one the gateway has), then the wildcard models, most literal characters first
 * and config order breaking ties. Pure: nothing is built to answer it.
 */
export type RouteMatch =
  | { kind: "exact"; name: string }
  | { kind: "provider"; name: string; provider: string; model: string }
  | { kind: "wildcard"; name: string; model: ModelConfig; captured: string };

/** The wildcard models of a config (names with a `*`), in the order they are tried. */
export function wildcardModels(models: readonly ModelConfig[]): ModelConfig[] {
  return models
    .map((model, index) => ({ model, index }))
    .filter(({ model }) => isPattern(model.name))
    .sort((a, b) => literalLength(b.model.name) - literalLength(a.model.name) || a.index - b.index)
    .map(({ model }) => model);
}

export function matchRoute(
  name: string,
  exact: (name: string) => boolean,
  providers: ReadonlySet<string>,
  wildcards: readonly ModelConfig[],
): RouteMatch | undefined {
  if (exact(name)) return { kind: "exact", name };
  const slash = name.indexOf("/");
  if (slash > 0 && slash < name.length - 1) {
    const provider = name.slice(0, slash);
    if (providers.has(provider)) {
      return { kind: "provider", name, provider, model: name.slice(slash + 1) };
    }
  }
  for (const model of wildcards) {
    const captured = matchPattern(model.name, name);
    if (captured !== undefined) return { kind: "wildcard", name, model, captured };
  }
  return undefined;
}
