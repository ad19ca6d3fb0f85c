import { LLM_PROVIDER_TYPES } from "../providers/llm-provider-types.js";

/**
 * The provider types and presets a config may name: the adapter registry's types, and `module` (a
 * provider type loaded from outside the package). This is the one file outside `src/providers/`
 * that spells vendor names, because the config format itself names them.
 */
export const PROVIDER_TYPES = [...LLM_PROVIDER_TYPES, "module"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** The type that takes a `preset` (and may run without keys when it points at a local server). */
export const COMPATIBLE_TYPE: ProviderType = "openai-compatible";
export const AZURE_TYPE: ProviderType = "azure-openai";
export const BEDROCK_TYPE: ProviderType = "bedrock";
export const VERTEX_TYPE: ProviderType = "vertex";
/** A provider type loaded from a module of the user's (`module: ./my-provider.js`). */
export const MODULE_TYPE: ProviderType = "module";

/** Vertex model publishers: where a target's model is served from (by default from its name). */
export const VERTEX_PUBLISHERS = ["google", "anthropic"] as const;

/** Hosted services speaking the OpenAI wire format; each needs a key. */
export const HOSTED_PRESETS = [
  "groq",
  "together",
  "mistral",
  "deepseek",
  "openrouter",
  "fireworks",
] as const;

/** Servers usually run locally; keys are optional. */
export const LOCAL_PRESETS = ["ollama", "vllm", "lmstudio"] as const;

export const PROVIDER_PRESETS = [...HOSTED_PRESETS, ...LOCAL_PRESETS] as const;
export type ProviderPreset = (typeof PROVIDER_PRESETS)[number];

/**
 * Whether a provider of this type and preset can be called without an API key: an
 * `openai-compatible` provider with a local preset or no preset at all (a custom `baseUrl`); a
 * `bedrock` provider (the AWS default credential chain) or a `vertex` one (its `credentials`, or
 * application default credentials); a `module` provider (its options carry what it needs).
 */
export function keysOptional(type: string, preset: string | undefined): boolean {
  if (type === BEDROCK_TYPE || type === VERTEX_TYPE || type === MODULE_TYPE) return true;
  if (type !== COMPATIBLE_TYPE) return false;
  return preset === undefined || (LOCAL_PRESETS as readonly string[]).includes(preset);
}

/** The chat APIs a provider's `api` may choose: Chat Completions or the Responses API. */
export const CHAT_APIS = ["chat", "responses"] as const;
export type ChatApi = (typeof CHAT_APIS)[number];

/** The types that speak both chat APIs, so take `api`. */
export const RESPONSES_API_TYPES: readonly ProviderType[] = ["openai", "openai-compatible"];
