import type { Selector } from "../../engine/call.js";
import type { ModelRoute, Target } from "../routing/model-route.js";
import type { ProviderPreferences } from "./routing-ask.js";

/** A route's targets under a request's provider preferences. */
export interface PreferredTargets {
  /** The targets left to call (undefined: every target the plan allowed). */
  targetIds: string[] | undefined;
  /** The targets the preferences left out, and why. */
  excluded: { target: Target; reason: string }[];
  /** The targets of the `order` providers, in that order: they go first. */
  first: string[];
  /** A selector putting `first` first (undefined when it is empty). */
  selector: Selector<unknown> | undefined;
}

/**
 * Applies `only` and `ignore` to the targets a plan left (`planned`, undefined for all of them) and
 * turns `order` into a selector: those providers' targets go first in the order given, the others
 * stay after them in the model's own order.
 */
export function preferTargets(
  route: ModelRoute,
  planned: readonly string[] | undefined,
  preferences: ProviderPreferences | undefined,
): PreferredTargets {
  if (!preferences)
    return {
      targetIds: planned ? [...planned] : undefined,
      excluded: [],
      first: [],
      selector: undefined,
    };
  const candidates = [...route.targets.values()].filter(
    (target) => !planned || planned.includes(target.id),
  );
  const excluded: PreferredTargets["excluded"] = [];
  const kept: Target[] = [];
  for (const target of candidates) {
    const reason = exclusion(target.provider, preferences);
    if (reason) excluded.push({ target, reason });
    else kept.push(target);
  }
  const order = preferences.order ?? [];
  const first = kept
    .filter((target) => order.includes(target.provider))
    .sort((a, b) => order.indexOf(a.provider) - order.indexOf(b.provider))
    .map((target) => target.id);
  return {
    targetIds: excluded.length === 0 && !planned ? undefined : kept.map((target) => target.id),
    excluded,
    first,
    selector: first.length > 0 ? () => first : undefined,
  };
}

function exclusion(provider: string, preferences: ProviderPreferences): string | undefined {
  if (preferences.only && !preferences.only.includes(provider)) {
    return `provider '${provider}' is not in provider.only [${preferences.only.join(", ")}]`;
  }
  if (preferences.ignore?.includes(provider)) {
    return `provider '${provider}' is in provider.ignore`;
  }
  return undefined;
}
