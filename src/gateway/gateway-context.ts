import type { SwitchyardConfig } from "../config/index.js";
import type { RequestObserver } from "../observe/request-observer.js";
import type { RateLimiter } from "../state/rate-limiter.js";
import type { StateStoreHealth } from "../state/redis-state-store.js";
import type { BudgetGuard } from "../store/budget.js";
import type { ResponseStore } from "../store/response-store.js";
import type { TraceStore } from "../store/trace-store.js";
import type { ClientRegistry } from "./auth/client-registry.js";
import type { ModelRouter } from "./routing/model-router.js";

/** Structured logging, pino-compatible. Every line a request writes carries its request id. */
export interface GatewayLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** What the routes read: swapped as a whole on reload, so a request sees one consistent config. */
export interface GatewayState {
  readonly config: SwitchyardConfig;
  readonly router: ModelRouter;
  readonly clients: ClientRegistry;
  /** Providers skipped for want of a key. */
  readonly skippedProviders: readonly string[];
}

export interface GatewayContext {
  state(): GatewayState;
  readonly logger: GatewayLogger;
  /** True while shutting down: readiness fails, new requests still finish. */
  draining(): boolean;
  /** Extra fields for the readiness body, from whoever runs the gateway. */
  readiness(): Record<string, unknown> | undefined;
  /** Per-client request rate limits (`clients[].rateLimit`), global when Redis is configured. */
  readonly rateLimiter?: RateLimiter;
  /** The shared state store's health, when one is configured (`state.redis`). */
  stateStore?(): StateStoreHealth | undefined;
  /** Told about every chat and embeddings request (metrics, tracing, the dashboard). */
  readonly observer?: RequestObserver;
  /** Where request traces are kept, when a database is configured. */
  traceStore?(): TraceStore | undefined;
  /** Where stored Responses API responses live (database, Redis or memory). */
  responseStore(): ResponseStore;
  /** Per-client spending budgets (`clients[].budget`), checked before a request is routed. */
  readonly budget?: BudgetGuard;
}
