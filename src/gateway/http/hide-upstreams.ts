import type { SwitchyardConfig } from "../../config/index.js";

const HIDDEN = "[upstream]";
const cache = new WeakMap<SwitchyardConfig, readonly RegExp[]>();

/**
 * Patterns for the upstream addresses a config names (each provider's `baseUrl`): a URL on its
 * origin, path and all, then its bare `host:port` (as a network error names it). Those are the
 * operator's network, not the client's business: logs and traces keep them, answers do not.
 */
export function configUpstreams(config: SwitchyardConfig): readonly RegExp[] {
  let patterns = cache.get(config);
  if (patterns) return patterns;
  const origins = new Set<string>();
  const hosts = new Set<string>();
  for (const provider of config.providers) {
    if (provider.baseUrl === undefined) continue;
    const url = new URL(provider.baseUrl);
    origins.add(url.origin);
    hosts.add(url.host);
  }
  patterns = [
    ...[...origins].map((origin) => new RegExp(`${escapeRegExp(origin)}[^\\s"'<>)]*`, "g")),
    ...[...hosts].map((host) => new RegExp(escapeRegExp(host), "g")),
  ];
  cache.set(config, patterns);
  return patterns;
}

/** `text` with every upstream address of the config replaced by `[upstream]`. */
export function hideUpstreams(text: string, upstreams: readonly RegExp[]): string {
  let result = text;
  for (const pattern of upstreams) result = result.replace(pattern, HIDDEN);
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
