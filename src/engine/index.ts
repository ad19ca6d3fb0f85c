export { type AdaptiveConcurrencyOptions, AdaptiveLimit } from "./adaptive-limit.js";
export type { RetryOptions } from "./backoff.js";
export {
  type CacheEntry,
  type CacheOptions,
  type CacheStore,
  MemoryCacheStore,
} from "./cache-store.js";
export type { CallOptions, CallReport, CandidateInfo, HedgeOptions, Selector } from "./call.js";
export type { CircuitState } from "./circuit-breaker.js";
export {
  type Classification,
  type ClassifyFn,
  classifyError,
  kindOfStatus,
} from "./classify-error.js";
export { type Clock, systemClock, type TimerHandle } from "./clock.js";
export { type ErrorPolicy, policyFor } from "./error-policy.js";
export type { FactoryEventName, FactoryEvents } from "./events.js";
export type {
  ProviderFactoryOptions,
  RegisterOptions,
  StrategyName,
  TargetOptions,
} from "./options.js";
export type { Cancellation, Provider, ProviderContext } from "./provider.js";
export type { HealthState, ProviderMetrics } from "./provider-entry.js";
export { type CallOutcome, ProviderFactory, type ProviderStatus } from "./provider-factory.js";
export type { RetryBudgetOptions } from "./retry-budget.js";
export type { LocalEvent, SharedEvent, SharedState, SlotLease } from "./shared-state.js";
export type { StreamSession } from "./stream-session.js";
