import type { StrategyName } from "./options.js";
import type { HealthState } from "./provider-entry.js";

/** What ordering needs to know about a provider. */
export interface Orderable {
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
  readonly cost: number;
  readonly inFlight: number;
  readonly health: HealthState;
  readonly latency: { readonly ewmaMs: number | undefined };
  readonly options: { readonly maxConcurrency: number };
}

export interface OrderingState {
  random: () => number;
  explorationRatio: number;
  /** Round-robin position per priority tier. */
  roundRobin: Map<number, number>;
}

/**
 * Orders candidates: priority tiers first (lower first), the strategy within each tier, and providers
 * whose health check fails moved to the back. `sorted` is already in priority, then registration, order.
 */
export function orderCandidates<E extends Orderable>(
  sorted: readonly E[],
  strategy: StrategyName,
  state: OrderingState,
): readonly E[] {
  let ordered: readonly E[] = sorted;
  if (strategy !== "priority" && sorted.length > 1) {
    const result: E[] = [];
    let start = 0;
    while (start < sorted.length) {
      const priority = sorted[start]?.priority;
      let end = start + 1;
      while (end < sorted.length && sorted[end]?.priority === priority) end++;
      const tier = sorted.slice(start, end);
      result.push(...orderTier(tier, strategy, state, priority ?? 0));
      start = end;
    }
    ordered = result;
  }
  for (const entry of ordered) {
    if (entry.health === "unhealthy") {
      return [
        ...ordered.filter((candidate) => candidate.health !== "unhealthy"),
        ...ordered.filter((candidate) => candidate.health === "unhealthy"),
      ];
    }
  }
  return ordered;
}

function orderTier<E extends Orderable>(
  tier: E[],
  strategy: StrategyName,
  state: OrderingState,
  priority: number,
): E[] {
  if (tier.length < 2) return tier;
  switch (strategy) {
    case "weighted":
      return weightedOrder(tier, state.random);
    case "round-robin": {
      const position = state.roundRobin.get(priority) ?? 0;
      state.roundRobin.set(priority, position + 1);
      const shift = position % tier.length;
      return [...tier.slice(shift), ...tier.slice(0, shift)];
    }
    case "least-latency": {
      const ordered = tier.sort((a, b) => (a.latency.ewmaMs ?? 0) - (b.latency.ewmaMs ?? 0));
      if (state.random() < state.explorationRatio) {
        const pick = Math.floor(state.random() * ordered.length);
        const [explored] = ordered.splice(pick, 1);
        if (explored) ordered.unshift(explored);
      }
      return ordered;
    }
    case "least-cost":
      return tier.sort((a, b) => a.cost - b.cost);
    case "least-busy":
      return tier.sort((a, b) => busyness(a) - busyness(b));
    case "priority":
      return tier;
  }
}

/** Weighted random order without replacement (Efraimidis-Spirakis keys). */
function weightedOrder<E extends Orderable>(tier: E[], random: () => number): E[] {
  const keyed = tier.map((entry) => ({
    entry,
    key: entry.weight > 0 ? random() ** (1 / entry.weight) : -1,
  }));
  keyed.sort((a, b) => b.key - a.key);
  return keyed.map((item) => item.entry);
}

function busyness(entry: Orderable): number {
  const limit = entry.options.maxConcurrency;
  return Number.isFinite(limit) ? entry.inFlight / limit : entry.inFlight;
}
