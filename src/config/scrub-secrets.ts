import type { SwitchyardConfig } from "./config-schema.js";

/** Shorter values are not scrubbed: they would match ordinary words. */
const MIN_SECRET_LENGTH = 8;
const REDACTED = "[redacted]";
const SECRET_HEADER = /auth|key|token|secret|password/i;
const cache = new WeakMap<SwitchyardConfig, readonly string[]>();

/**
 * Every secret a config holds, longest first: provider keys, credential-like provider and target headers,
 * client virtual keys and the admin key. The pattern-based scrubber (`redactMessage`) misses keys
 * without a telltale prefix; these exact values are removed from whatever the gateway writes.
 */
export function configSecrets(config: SwitchyardConfig): readonly string[] {
  let secrets = cache.get(config);
  if (secrets) return secrets;
  const found = new Set<string>();
  const add = (value: string | undefined) => {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) found.add(value);
  };
  const addHeaders = (headers: Record<string, string> | undefined) => {
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (SECRET_HEADER.test(name)) add(value.replace(/^(bearer|basic)\s+/i, ""));
    }
  };
  for (const provider of config.providers) {
    for (const key of provider.keys) {
      add(key.key);
      add(key.secretAccessKey);
      add(key.sessionToken);
    }
    if (provider.auth?.type === "entra") add(provider.auth.clientSecret);
    addHeaders(provider.headers);
  }
  for (const model of config.models) {
    for (const target of model.targets) addHeaders(target.headers);
  }
  for (const client of config.clients ?? []) add(client.key);
  add(config.server.adminKey);
  secrets = [...found].sort((a, b) => b.length - a.length);
  cache.set(config, secrets);
  return secrets;
}

/** `text` with every occurrence of a known secret replaced. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.replaceAll(secret, REDACTED);
  }
  return result;
}

/** A copy of a JSON-like value with `scrubSecrets` applied to every string in it, keys included. */
export function scrubSecretsDeep(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  return mapStringsDeep(value, (text) => scrubSecrets(text, secrets));
}

/** A copy of a JSON-like value with `change` applied to every string in it, keys included. */
export function mapStringsDeep(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === "string") return change(value);
  if (Array.isArray(value)) return value.map((item) => mapStringsDeep(item, change));
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[change(key)] = mapStringsDeep(item, change);
    }
    return copy;
  }
  return value;
}
