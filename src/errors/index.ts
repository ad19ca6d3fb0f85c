export {
  AllProvidersUnavailableError,
  isAllProvidersUnavailableError,
} from "./all-providers-unavailable-error.js";
export type { AttemptRecord, CooldownReason, SkipReason } from "./attempt-record.js";
export { COOLDOWN_REASONS, describeAttempt } from "./attempt-record.js";
export { AttemptTimeoutError, isAttemptTimeoutError } from "./attempt-timeout-error.js";
export { ERROR_KINDS, type ErrorKind } from "./error-kind.js";
export { FactoryClosedError, isFactoryClosedError } from "./factory-closed-error.js";
export { HedgeLostError } from "./hedge-lost-error.js";
export { InvalidOptionError } from "./invalid-option-error.js";
export { isProviderError, ProviderError, type ProviderErrorOptions } from "./provider-error.js";
export { isStreamInterruptedError, StreamInterruptedError } from "./stream-interrupted-error.js";
export { isSwitchyardError, SwitchyardError } from "./switchyard-error.js";
