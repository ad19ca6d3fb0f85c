/** Servers known to speak the OpenAI chat format, with the settings each needs. */
export type OpenAICompatiblePreset =
  | "groq"
  | "together"
  | "mistral"
  | "deepseek"
  | "openrouter"
  | "fireworks"
  | "ollama"
  | "vllm"
  | "lmstudio";

export interface PresetSettings {
  baseUrl: string;
  /** Hosted services need a key; local servers (Ollama, vLLM, LM Studio) run without one. */
  requiresApiKey: boolean;
  /** Where `maxTokens` goes: Groq follows OpenAI's newer field, the others document `max_tokens`. */
  maxTokensField: "max_completion_tokens" | "max_tokens";
  /**
   * Whether to send `stream_options.include_usage`. Off where the server always sends usage anyway
   * (Mistral, OpenRouter) or where support is not documented; a strict server would reject it.
   */
  includeStreamUsage: boolean;
  /**
   * Top-level Chat Completions fields the server rejects although OpenAI accepts them: a request
   * using one is not sent to it (it goes to another target, or is refused naming the field).
   */
  unsupportedFields?: readonly string[];
}

export const OPENAI_COMPATIBLE_PRESETS: Readonly<Record<OpenAICompatiblePreset, PresetSettings>> = {
  groq: {
    baseUrl: "https://api.groq.com/openai/v1",
    requiresApiKey: true,
    maxTokensField: "max_completion_tokens",
    includeStreamUsage: true,
    // Groq's OpenAI-compatibility notes: n must be 1; logprobs, top_logprobs and logit_bias are refused.
    unsupportedFields: ["n", "logprobs", "top_logprobs", "logit_bias"],
  },
  together: {
    baseUrl: "https://api.together.xyz/v1",
    requiresApiKey: true,
    maxTokensField: "max_tokens",
    includeStreamUsage: false,
  },
  mistral: {
    baseUrl: "https://api.mistral.ai/v1",
    requiresApiKey: true,
    maxTokensField: "max_tokens",
    includeStreamUsage: false,
  },
  deepseek: {
    baseUrl: "https://api.deepseek.com/v1",
    requiresApiKey: true,
    maxTokensField: "max_tokens",
    includeStreamUsage: true,
  },
  openrouter: {
    baseUrl: "https://openrouter.ai/api/v1",
    requiresApiKey: true,
    maxTokensField: "max_tokens",
    includeStreamUsage: false,
  },
  fireworks: {
    baseUrl: "https://api.fireworks.ai/inference/v1",
    requiresApiKey: true,
    maxTokensField: "max_tokens",
    includeStreamUsage: false,
  },
  ollama: {
    baseUrl: "http://127.0.0.1:11434/v1",
    requiresApiKey: false,
    maxTokensField: "max_tokens",
    includeStreamUsage: true,
  },
  vllm: {
    baseUrl: "http://127.0.0.1:8000/v1",
    requiresApiKey: false,
    maxTokensField: "max_tokens",
    includeStreamUsage: true,
  },
  lmstudio: {
    baseUrl: "http://127.0.0.1:1234/v1",
    requiresApiKey: false,
    maxTokensField: "max_tokens",
    includeStreamUsage: false,
  },
};
