import type { LlmProvider } from "../llm/llm-provider.js";
import type { AzureAuth } from "./azure-openai/index.js";
import type { AwsCredentials } from "./bedrock/index.js";
import type { AdapterOptions } from "./shared/adapter-options.js";
import type { VertexPublisher } from "./vertex/index.js";

/**
 * The adapter types, in a file that loads no adapter: config validation and the gateway name types
 * without paying for the adapters' modules (see load-llm-provider-types.ts).
 */
export const LLM_PROVIDER_TYPES = [
  "openai",
  "anthropic",
  "gemini",
  "openai-compatible",
  "azure-openai",
  "bedrock",
  "vertex",
] as const;
export type LlmProviderType = (typeof LLM_PROVIDER_TYPES)[number];

export function isLlmProviderType(type: string): type is LlmProviderType {
  return (LLM_PROVIDER_TYPES as readonly string[]).includes(type);
}

export interface LlmProviderSettings extends Omit<AdapterOptions, "apiKey"> {
  apiKey?: string;
  /** Only for `openai-compatible`. */
  preset?: string;
  /** `azure-openai`: the `api-version` query parameter. */
  apiVersion?: string;
  /** `azure-openai`: upstream model -> deployment name. */
  deployments?: Record<string, string>;
  /** `azure-openai`: Entra ID instead of an API key. */
  auth?: AzureAuth;
  /** `bedrock`: the AWS region. */
  region?: string;
  /** `bedrock`: an AWS access key pair; without one, the AWS default credential chain. */
  awsCredentials?: AwsCredentials;
  /** `vertex`: the Google Cloud project. */
  project?: string;
  /** `vertex`: the region (or `global`). */
  location?: string;
  /** `vertex`: a service-account key file; default application default credentials. */
  credentialsFile?: string;
  /** `vertex`: every model's publisher, instead of taking it from the model name. */
  publisher?: VertexPublisher;
}

/** Builds one adapter of a type from its settings. */
export type LlmProviderBuilder = (settings: LlmProviderSettings) => LlmProvider;
