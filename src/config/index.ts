export {
  type CheckConfigOptions,
  type CheckResult,
  type ConfigSummary,
  checkConfig,
  checkConfigText,
} from "./check-config.js";
export { type ClientConfig, KEY_HASH_PATTERN } from "./client-schema.js";
export {
  ConfigError,
  type ConfigProblem,
  formatConfigProblem,
  isConfigError,
} from "./config-error.js";
export { formatPath, type PathSegment } from "./config-path.js";
export {
  configSchema,
  LOG_LEVELS,
  type ServerConfig,
  type SwitchyardConfig,
} from "./config-schema.js";
export { isProviderUsable } from "./config-warnings.js";
export {
  ENGINE_DEFAULTS,
  type EngineDefaults,
  type EngineOverrides,
  type RetryBudgetOptions,
  type RetryOptions,
  STRATEGIES,
  type Strategy,
  type TargetOverrides,
} from "./engine-defaults.js";
export { applyEngineDefaults } from "./engine-options-schema.js";
export { type Environment, escapeInterpolation, interpolateEnv } from "./interpolate-env.js";
export { loadConfig } from "./load-config.js";
export type { ModelConfig, TargetConfig } from "./model-schema.js";
export {
  type LoadedConfig,
  type ParseConfigOptions,
  parseConfigText,
} from "./parse-config-text.js";
export {
  PROVIDER_PRESETS,
  PROVIDER_TYPES,
  type ProviderPreset,
  type ProviderType,
} from "./provider-kinds.js";
export type { ProviderConfig, ProviderKeyConfig } from "./provider-schema.js";
export { REDACTED, redactConfig } from "./redact-config.js";
export { resolveEngineOptions } from "./resolve-engine-options.js";
export { stringifyConfig } from "./stringify-config.js";
