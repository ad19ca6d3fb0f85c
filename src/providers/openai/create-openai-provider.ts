import type { LlmProvider } from "../../llm/llm-provider.js";
import type { AdapterOptions } from "../shared/adapter-options.js";
import { createOpenAIWireProvider } from "./create-openai-wire-provider.js";

export interface OpenAIProviderOptions extends AdapterOptions {
  /** Sent as `OpenAI-Organization`. */
  organization?: string;
  /** Sent as `OpenAI-Project`. */
  project?: string;
}

/** The OpenAI API root used when `baseUrl` is absent. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/**
 * An LlmProvider for the OpenAI API: chat completions (plain and streaming, with usage), embeddings,
 * model listing, and `GET /models` as the health check. `providerOptions.openai` is merged into
 * request bodies. `maxTokens` is sent as `max_completion_tokens` (the current field; reasoning models
 * reject the deprecated `max_tokens`).
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): LlmProvider {
  if (typeof options.apiKey !== "string" || options.apiKey === "") {
    throw new TypeError("createOpenAIProvider: `apiKey` must be a non-empty string");
  }
  const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
  if (options.organization !== undefined) headers["openai-organization"] = options.organization;
  if (options.project !== undefined) headers["openai-project"] = options.project;
  return createOpenAIWireProvider({
    type: "openai",
    name: options.name ?? "openai",
    baseUrl: options.baseUrl ?? OPENAI_BASE_URL,
    headers: { ...headers, ...options.headers },
    maxTokensField: "max_completion_tokens",
    includeStreamUsage: true,
    providerOptionsKeys: ["openai"],
    api: options.api,
    unsupportedFields: options.unsupportedFields ?? [],
    connectTimeoutMs: options.connectTimeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxConnections: options.maxConnections,
    maxResponseBytes: options.maxResponseBytes,
    now: options.now ?? Date.now,
  });
}
