export {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from "./create-openai-compatible-provider.js";
export {
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type PresetSettings,
} from "./presets.js";
