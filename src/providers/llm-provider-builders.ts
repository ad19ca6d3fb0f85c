import type {
  LlmProviderBuilder,
  LlmProviderSettings,
  LlmProviderType,
} from "./llm-provider-types.js";
import type { OpenAICompatiblePreset } from "./openai-compatible/index.js";

/** Each adapter type's module (types only: nothing here loads one). */
export interface LlmProviderModules {
  openai: typeof import("./openai/index.js");
  anthropic: typeof import("./anthropic/index.js");
  gemini: typeof import("./gemini/index.js");
  "openai-compatible": typeof import("./openai-compatible/index.js");
  "azure-openai": typeof import("./azure-openai/index.js");
  bedrock: typeof import("./bedrock/index.js");
  vertex: typeof import("./vertex/index.js");
}

/** What every type shares: the adapter options without the type-specific settings. */
function split(settings: LlmProviderSettings) {
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
  return { options, apiKey };
}

/**
 * How each type's module turns settings into an adapter: the one mapping, used by the static
 * registry (create-llm-provider.ts) and by the lazy one (load-llm-provider-types.ts).
 */
export const LLM_PROVIDER_BUILDERS: {
  [T in LlmProviderType]: (module: LlmProviderModules[T]) => LlmProviderBuilder;
} = {
  openai: (module) => (settings) => {
    const { options, apiKey } = split(settings);
    return module.createOpenAIProvider({ ...options, apiKey });
  },
  anthropic: (module) => (settings) => {
    const { options, apiKey } = split(settings);
    return module.createAnthropicProvider({ ...options, apiKey });
  },
  gemini: (module) => (settings) => {
    const { options, apiKey } = split(settings);
    return module.createGeminiProvider({ ...options, apiKey });
  },
  "openai-compatible": (module) => (settings) => {
    const { options } = split(settings);
    const { preset } = settings;
    return module.createOpenAICompatibleProvider({
      ...options,
      ...(preset ? { preset: preset as OpenAICompatiblePreset } : {}),
    });
  },
  "azure-openai": (module) => (settings) => {
    const { options, apiKey } = split(settings);
    const { apiVersion, deployments, auth } = settings;
    return module.createAzureOpenAIProvider({
      ...options,
      baseUrl: options.baseUrl ?? "",
      ...(apiKey === "" ? {} : { apiKey }),
      ...(apiVersion === undefined ? {} : { apiVersion }),
      ...(deployments === undefined ? {} : { deployments }),
      ...(auth === undefined ? {} : { auth }),
    });
  },
  bedrock: (module) => (settings) => {
    const { options } = split(settings);
    const { region, awsCredentials } = settings;
    return module.createBedrockProvider({
      ...options,
      region: region ?? "",
      ...(awsCredentials === undefined ? {} : { credentials: awsCredentials }),
    });
  },
  vertex: (module) => (settings) => {
    const { options } = split(settings);
    const { project, location, credentialsFile, publisher } = settings;
    return module.createVertexProvider({
      ...options,
      project: project ?? "",
      location: location ?? "",
      ...(credentialsFile === undefined ? {} : { credentialsFile }),
      ...(publisher === undefined ? {} : { publisher }),
    });
  },
};
