import type { FaultSpec, LatencySpec, Scenario } from "./scenario-schema.js";

/** A fault as it applies to one target, with the `providers:` entry that declared it. */
export interface ScopedFault {
  spec: FaultSpec;
  /** `<entry name>#<index>`: identifies the declaration (a rate limit's capacity is per declaration and key). */
  declaration: string;
}

/** Everything the simulation knows about how one target behaves. */
export interface TargetProfile {
  latency: LatencySpec;
  errorLatency: LatencySpec;
  firstChunkRatio: number;
  faults: ScopedFault[];
}

export const DEFAULT_LATENCY: LatencySpec = { kind: "lognormal", medianMs: 1000, p99Ms: 5000 };
export const DEFAULT_ERROR_LATENCY: LatencySpec = { kind: "fixed", ms: 100 };
export const DEFAULT_FIRST_CHUNK_RATIO = 0.2;

/** Where a target sits: the provider, the key's id, the upstream model. */
export interface TargetAddress {
  provider: string;
  keyId: string;
  model: string;
}

/** The `providers:` names that match a target, least specific first. */
export function profileNamesFor(address: TargetAddress): string[] {
  const { provider, keyId, model } = address;
  return [
    "*",
    provider,
    `${provider}#${keyId}`,
    `${provider}/${model}`,
    `${provider}#${keyId}/${model}`,
  ];
}

/**
 * Merges the `providers:` entries matching a target: `*`, then the provider, its key, the target, the
 * key's target. Latencies and `firstChunkRatio` come from the most specific entry that sets them;
 * faults from every matching entry apply.
 */
export function resolveProfile(scenario: Scenario, address: TargetAddress): TargetProfile {
  const profile: TargetProfile = {
    latency: DEFAULT_LATENCY,
    errorLatency: DEFAULT_ERROR_LATENCY,
    firstChunkRatio: DEFAULT_FIRST_CHUNK_RATIO,
    faults: [],
  };
  const seen = new Set<string>();
  for (const name of profileNamesFor(address)) {
    if (seen.has(name)) continue;
    seen.add(name);
    const entry = Object.hasOwn(scenario.providers, name) ? scenario.providers[name] : undefined;
    if (!entry) continue;
    if (entry.latency) profile.latency = entry.latency;
    if (entry.errorLatency) profile.errorLatency = entry.errorLatency;
    if (entry.firstChunkRatio !== undefined) profile.firstChunkRatio = entry.firstChunkRatio;
    entry.faults.forEach((spec, index) => {
      profile.faults.push({ spec, declaration: `${name}#${index}` });
    });
  }
  return profile;
}

/** Whether a fault is active at `atMs` (time since the start of the run). */
export function isFaultActive(spec: FaultSpec, atMs: number): boolean {
  const from = spec.from ?? 0;
  if (atMs < from) return false;
  if (spec.to !== undefined && atMs >= spec.to) return false;
  if (spec.periodMs === undefined || spec.activeMs === undefined) return true;
  return (atMs - from) % spec.periodMs < spec.activeMs;
}
