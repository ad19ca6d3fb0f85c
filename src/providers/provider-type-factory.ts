import type { LlmProvider } from "../llm/llm-provider.js";

/** What a provider type of one's own is told about the provider it builds, besides its options. */
export interface ProviderTypeContext {
  /** The provider's `name` in the config (for errors and `ProviderError.provider`). */
  name: string;
  /** The key of the candidate being built (`keys[i].key`), when the provider has keys. */
  apiKey: string | undefined;
  /** The id of that key. */
  keyId: string | undefined;
  baseUrl: string | undefined;
  headers: Record<string, string> | undefined;
  connectTimeoutMs: number | undefined;
  firstByteTimeoutMs: number | undefined;
  idleTimeoutMs: number | undefined;
  maxConnections: number | undefined;
}

/**
 * A provider type from outside the package: a module's default export for
 * `{ type: module, module: ./my-provider.js, options: {...} }`, or an entry of the gateway's
 * `providerTypes`. Called once per key (once when the provider has none), with the provider's
 * `options` and its context; returns the adapter.
 */
export type LlmProviderFactory = (
  options: Record<string, unknown>,
  context: ProviderTypeContext,
) => LlmProvider;
