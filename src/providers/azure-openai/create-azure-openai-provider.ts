import type { LlmProvider } from "../../llm/llm-provider.js";
import { createOpenAIWireProvider } from "../openai/create-openai-wire-provider.js";
import type { AdapterOptions } from "../shared/adapter-options.js";
import {
  type AzureAuth,
  type AzureTokenCredential,
  azureTokenHeaders,
  createAzureCredential,
} from "./azure-token-source.js";

export interface AzureOpenAIProviderOptions extends Omit<AdapterOptions, "apiKey" | "baseUrl"> {
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  baseUrl: string;
  /** Sent in the `api-key` header. Give this, `auth` or `credential`. */
  apiKey?: string;
  /** Sent as `?api-version=`; default `2024-10-21`. */
  apiVersion?: string;
  /** Upstream model -> deployment name; a model not listed is its own deployment name. */
  deployments?: Record<string, string>;
  /** Microsoft Entra ID instead of an API key, through `@azure/identity` (loaded when used). */
  auth?: AzureAuth;
  /** A ready `TokenCredential` (any `@azure/identity` credential, or a test's stand-in). */
  credential?: AzureTokenCredential;
}

export const AZURE_OPENAI_API_VERSION = "2024-10-21";

/**
 * An LlmProvider for Azure OpenAI: OpenAI's wire format at
 * `{baseUrl}/openai/deployments/{deployment}/chat/completions|embeddings?api-version=...`,
 * authenticated with the `api-key` header or an Entra ID bearer token (cached, refreshed before it
 * expires). Azure's errors share OpenAI's shape: `content_filter` (with its inner error) is a content
 * filter, `retry-after-ms` / `retry-after` are honoured on 429.
 */
export function createAzureOpenAIProvider(options: AzureOpenAIProviderOptions): LlmProvider {
  const name = options.name ?? "azure-openai";
  const now = options.now ?? Date.now;
  const hasKey = typeof options.apiKey === "string" && options.apiKey !== "";
  if (!hasKey && options.auth === undefined && options.credential === undefined) {
    throw new TypeError(`${name}: an azure-openai provider needs an apiKey, auth or a credential`);
  }
  const version = encodeURIComponent(options.apiVersion ?? AZURE_OPENAI_API_VERSION);
  const deployments = options.deployments ?? {};
  const deploymentPath = (model: string, endpoint: string) =>
    `/openai/deployments/${encodeURIComponent(deployments[model] ?? model)}/${endpoint}?api-version=${version}`;
  const headers: Record<string, string> = hasKey ? { "api-key": options.apiKey as string } : {};
  let credential = options.credential;
  const auth = options.auth;
  const authHeaders = hasKey
    ? undefined
    : azureTokenHeaders({
        provider: name,
        credential: () => {
          credential ??= createAzureCredential(auth as AzureAuth);
          return credential;
        },
        secret: auth?.type === "entra" ? auth.clientSecret : undefined,
        now,
      });
  return createOpenAIWireProvider({
    type: "azure-openai",
    name,
    baseUrl: options.baseUrl,
    headers: { ...options.headers, ...headers },
    maxTokensField: "max_completion_tokens",
    includeStreamUsage: true,
    providerOptionsKeys: ["openai", "azure"],
    connectTimeoutMs: options.connectTimeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxConnections: options.maxConnections,
    maxResponseBytes: options.maxResponseBytes,
    unsupportedFields: options.unsupportedFields,
    now,
    paths: {
      chat: (model) => deploymentPath(model, "chat/completions"),
      embeddings: (model) => deploymentPath(model, "embeddings"),
      models: () => `/openai/models?api-version=${version}`,
    },
    authHeaders,
  });
}
