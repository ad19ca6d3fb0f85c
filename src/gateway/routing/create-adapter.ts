import { createHash } from "node:crypto";
import type { ProviderConfig, ProviderKeyConfig } from "../../config/index.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import { createLlmProvider } from "../../providers/create-llm-provider.js";

/** One adapter per provider key: each key is a candidate of its own, with its own connection pool. */
export function createAdapter(
  provider: ProviderConfig,
  key: ProviderKeyConfig | undefined,
): LlmProvider {
  return createLlmProvider(provider.type, {
    name: provider.name,
    apiKey: key?.key ?? "",
    baseUrl: provider.baseUrl,
    headers: provider.headers,
    connectTimeoutMs: provider.connectTimeoutMs,
    firstByteTimeoutMs: provider.firstByteTimeoutMs,
    idleTimeoutMs: provider.idleTimeoutMs,
    maxConnections: provider.maxConnections,
    maxResponseBytes: provider.maxResponseBytes,
    preset: provider.preset,
    ...(provider.api ? { api: provider.api } : {}),
    ...(provider.unsupportedFields ? { unsupportedFields: provider.unsupportedFields } : {}),
  });
}

/**
 * Identifies an adapter by everything it was built from, key included (hashed, never kept in clear),
 * so a reload reuses the connection pool of an unchanged provider key and replaces a changed one.
 */
export function adapterFingerprint(
  provider: ProviderConfig,
  key: ProviderKeyConfig | undefined,
): string {
  const { keys: _keys, models: _models, ...settings } = provider;
  const digest = createHash("sha256")
    .update(JSON.stringify({ settings, key: key?.key ?? "", id: key?.id }))
    .digest("hex");
  return `${provider.name}#${key?.id ?? "none"}:${digest}`;
}
