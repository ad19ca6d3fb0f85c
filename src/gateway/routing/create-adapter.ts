import { createHash } from "node:crypto";
import type { ProviderConfig, ProviderKeyConfig } from "../../config/index.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import { isLlmProviderType } from "../../providers/llm-provider-types.js";
import { loadedLlmProviderBuilder } from "../../providers/load-llm-provider-types.js";
import type { ProviderTypes } from "./load-provider-modules.js";

/** One adapter per provider key: each key is a candidate of its own, with its own connection pool. */
export function createAdapter(
  provider: ProviderConfig,
  key: ProviderKeyConfig | undefined,
  providerTypes: ProviderTypes = {},
): LlmProvider {
  if (provider.type === "module") {
    const factory = providerTypes[provider.module ?? ""];
    if (factory === undefined) {
      throw new TypeError(
        `provider ${provider.name}: module ${provider.module} is not loaded (loadProviderModules, or the gateway's providerTypes)`,
      );
    }
    return factory(provider.options ?? {}, {
      name: provider.name,
      apiKey: key?.key,
      keyId: key?.id,
      baseUrl: provider.baseUrl,
      headers: provider.headers,
      connectTimeoutMs: provider.connectTimeoutMs,
      firstByteTimeoutMs: provider.firstByteTimeoutMs,
      idleTimeoutMs: provider.idleTimeoutMs,
      maxConnections: provider.maxConnections,
    });
  }
  if (!isLlmProviderType(provider.type)) {
    throw new TypeError(`provider ${provider.name}: no adapter for type ${provider.type}`);
  }
  const build = loadedLlmProviderBuilder(provider.type);
  if (build === undefined) {
    throw new TypeError(
      `provider ${provider.name}: adapter type ${provider.type} is not loaded (loadProviderModules loads the types a config names)`,
    );
  }
  return build({
    name: provider.name,
    apiKey: key?.key ?? "",
    apiVersion: provider.apiVersion,
    deployments: provider.deployments,
    auth: provider.auth,
    region: provider.region,
    awsCredentials:
      key?.accessKeyId !== undefined && key.secretAccessKey !== undefined
        ? {
            accessKeyId: key.accessKeyId,
            secretAccessKey: key.secretAccessKey,
            ...(key.sessionToken === undefined ? {} : { sessionToken: key.sessionToken }),
          }
        : undefined,
    project: provider.project,
    location: provider.location,
    credentialsFile: provider.credentials?.file,
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
    .update(
      JSON.stringify({
        settings,
        key: key?.key ?? "",
        aws: [key?.accessKeyId, key?.secretAccessKey, key?.sessionToken],
        id: key?.id,
      }),
    )
    .digest("hex");
  return `${provider.name}#${key?.id ?? "none"}:${digest}`;
}
