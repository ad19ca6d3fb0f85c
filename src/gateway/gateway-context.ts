import type { SwitchyardConfig } from "../config/index.js";
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
}
