export {
  AZURE_OPENAI_SCOPE,
  type AzureAuth,
  type AzureTokenCredential,
} from "./azure-token-source.js";
export {
  AZURE_OPENAI_API_VERSION,
  type AzureOpenAIProviderOptions,
  createAzureOpenAIProvider,
} from "./create-azure-openai-provider.js";
