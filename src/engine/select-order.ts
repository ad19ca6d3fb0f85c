import type { Selector } from "./call.js";
import type { ProviderEntry } from "./provider-entry.js";

/** Puts the providers a selector names first, in its order; the others follow as fallbacks. */
export function selectOrder<Request, Result, Chunk>(
  ordered: readonly ProviderEntry<Request, Result, Chunk>[],
  selector: Selector<Request>,
  request: Request,
): readonly ProviderEntry<Request, Result, Chunk>[] {
  const infos = ordered.map((entry) => ({
    name: entry.name,
    priority: entry.priority,
    weight: entry.weight,
    cost: entry.cost,
    metadata: entry.metadata,
    metrics: entry.metrics(),
  }));
  const picked = selector(infos, request);
  if (picked === undefined) return ordered;
  const names = typeof picked === "string" ? [picked] : picked;
  const first: ProviderEntry<Request, Result, Chunk>[] = [];
  for (const name of names) {
    const entry = ordered.find((candidate) => candidate.name === name);
    if (entry && !first.includes(entry)) first.push(entry);
  }
  return [...first, ...ordered.filter((entry) => !first.includes(entry))];
}
