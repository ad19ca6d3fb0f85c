import type { LlmProvider } from "../llm/llm-provider.js";
import { createAnthropicProvider } from "./anthropic/index.js";
import { type AzureAuth, createAzureOpenAIProvider } from "./azure-openai/index.js";
import { type AwsCredentials, createBedrockProvider } from "./bedrock/index.js";
import { createGeminiProvider } from "./gemini/index.js";
import { createOpenAIProvider } from "./openai/index.js";
import {
  createOpenAICompatibleProvider,
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
} from "./openai-compatible/index.js";
import type { AdapterOptions } from "./shared/adapter-options.js";
import { createVertexProvider, type VertexPublisher } from "./vertex/index.js";

/**
 * The adapter registry: the one place where adapter types meet, so that code above the providers
 * (config, gateway) can build any adapter by its type name without naming a vendor.
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

/** Preset names for `openai-compatible` (groq, ollama, vllm, ...). */
export const LLM_PROVIDER_PRESETS = Object.keys(
  OPENAI_COMPATIBLE_PRESETS,
) as OpenAICompatiblePreset[];

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

export function createLlmProvider(
  type: LlmProviderType,
  settings: LlmProviderSettings,
): LlmProvider {
  const {
    preset,
    apiVersion,
    deployments,
    auth,
    region,
    awsCredentials,
    project,
    location,
    credentialsFile,
    publisher,
    ...options
  } = settings;
  const apiKey = options.apiKey ?? "";
  switch (type) {
    case "openai":
      return createOpenAIProvider({ ...options, apiKey });
    case "anthropic":
      return createAnthropicProvider({ ...options, apiKey });
    case "gemini":
      return createGeminiProvider({ ...options, apiKey });
    case "openai-compatible":
      return createOpenAICompatibleProvider({
        ...options,
        ...(preset ? { preset: preset as OpenAICompatiblePreset } : {}),
      });
    case "azure-openai":
      return createAzureOpenAIProvider({
        ...options,
        baseUrl: options.baseUrl ?? "",
        ...(apiKey === "" ? {} : { apiKey }),
        ...(apiVersion === undefined ? {} : { apiVersion }),
        ...(deployments === undefined ? {} : { deployments }),
        ...(auth === undefined ? {} : { auth }),
      });
    case "bedrock":
      return createBedrockProvider({
        ...options,
        region: region ?? "",
        ...(awsCredentials === undefined ? {} : { credentials: awsCredentials }),
      });
    case "vertex":
      return createVertexProvider({
        ...options,
        project: project ?? "",
        location: location ?? "",
        ...(credentialsFile === undefined ? {} : { credentialsFile }),
        ...(publisher === undefined ? {} : { publisher }),
      });
  }
}
