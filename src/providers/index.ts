export { type AnthropicProviderOptions, createAnthropicProvider } from "./anthropic/index.js";
export {
  AZURE_OPENAI_API_VERSION,
  type AzureAuth,
  type AzureOpenAIProviderOptions,
  type AzureTokenCredential,
  createAzureOpenAIProvider,
} from "./azure-openai/index.js";
export {
  type AwsCredentialSource,
  type AwsCredentials,
  type BedrockProviderOptions,
  createBedrockProvider,
} from "./bedrock/index.js";
export {
  createLlmProvider,
  LLM_PROVIDER_PRESETS,
  LLM_PROVIDER_TYPES,
  type LlmProviderSettings,
  type LlmProviderType,
} from "./create-llm-provider.js";
export {
  createGeminiProvider,
  GEMINI_BASE_URL,
  type GeminiProviderOptions,
  type GeminiSchemaFormat,
} from "./gemini/index.js";
export {
  createOpenAIProvider,
  OPENAI_BASE_URL,
  type OpenAIProviderOptions,
} from "./openai/index.js";
export {
  createOpenAICompatibleProvider,
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type OpenAICompatibleProviderOptions,
} from "./openai-compatible/index.js";
export type { LlmProviderFactory, ProviderTypeContext } from "./provider-type-factory.js";
export type { AdapterOptions } from "./shared/adapter-options.js";
export {
  createVertexProvider,
  type GoogleTokenSource,
  VERTEX_ANTHROPIC_VERSION,
  type VertexProviderOptions,
  type VertexPublisher,
} from "./vertex/index.js";
