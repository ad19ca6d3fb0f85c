import type { LlmProvider } from "../llm/llm-provider.js";
import * as anthropic from "./anthropic/index.js";
import * as azureOpenAI from "./azure-openai/index.js";
import * as bedrock from "./bedrock/index.js";
import * as gemini from "./gemini/index.js";
import { LLM_PROVIDER_BUILDERS, type LlmProviderModules } from "./llm-provider-builders.js";
import {
  LLM_PROVIDER_TYPES,
  type LlmProviderSettings,
  type LlmProviderType,
} from "./llm-provider-types.js";
import { registerLlmProviderType } from "./load-llm-provider-types.js";
import * as openai from "./openai/index.js";
import * as openAICompatible from "./openai-compatible/index.js";
import * as vertex from "./vertex/index.js";

export {
  LLM_PROVIDER_TYPES,
  type LlmProviderSettings,
  type LlmProviderType,
} from "./llm-provider-types.js";

/**
 * The adapter registry with every adapter loaded: the one place where adapter types meet, so that
 * code above the providers (config, gateway) can build any adapter by its type name without naming
 * a vendor. Importing this file loads every adapter; `switchyard serve` instead loads only the types
 * its config names (`loadLlmProviderTypes`).
 */
const MODULES: LlmProviderModules = {
  openai,
  anthropic,
  gemini,
  "openai-compatible": openAICompatible,
  "azure-openai": azureOpenAI,
  bedrock,
  vertex,
};
for (const type of LLM_PROVIDER_TYPES) register(type);

function register<T extends LlmProviderType>(type: T): void {
  registerLlmProviderType(type, MODULES[type]);
}

/** Preset names for `openai-compatible` (groq, ollama, vllm, ...). */
export const LLM_PROVIDER_PRESETS = Object.keys(
  openAICompatible.OPENAI_COMPATIBLE_PRESETS,
) as openAICompatible.OpenAICompatiblePreset[];

export function createLlmProvider(
  type: LlmProviderType,
  settings: LlmProviderSettings,
): LlmProvider {
  return build(type, settings);
}

function build<T extends LlmProviderType>(type: T, settings: LlmProviderSettings): LlmProvider {
  return LLM_PROVIDER_BUILDERS[type](MODULES[type])(settings);
}
