/** switchyard/gateway: the OpenAI- and Anthropic-compatible server, its config and observability. */

// Every built-in adapter, so that `new Gateway(loaded)` can build any provider type without
// `loadProviderModules` first (`switchyard serve` loads only the types its config names).
import "../providers/create-llm-provider.js";

export type { LoadedConfig, SwitchyardConfig } from "../config/index.js";
export {
  ConfigError,
  checkConfig,
  loadConfig,
  parseConfigText,
  redactConfig,
} from "../config/index.js";
export { Observability } from "../observe/observability.js";
export type { RequestEnd, RequestObserver } from "../observe/request-observer.js";
export { createTraceStore } from "../store/create-trace-store.js";
export type { TraceStore } from "../store/trace-store.js";
export { Gateway, type GatewayOptions } from "./gateway.js";
export type { GatewayLogger } from "./gateway-context.js";
export { loadProviderModules, type ProviderTypes } from "./routing/load-provider-modules.js";
