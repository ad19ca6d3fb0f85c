import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { LoadedConfig } from "../config/index.js";
import type { Clock } from "../engine/clock.js";
import { RateLimiter } from "../state/rate-limiter.js";
import { RedisStateStore } from "../state/redis-state-store.js";
import { ClientRegistry } from "./auth/client-registry.js";
import { createGatewayApp } from "./create-gateway-app.js";
import type { GatewayContext, GatewayLogger, GatewayState } from "./gateway-context.js";
import { ModelRouter, type ModelRouterOptions } from "./routing/model-router.js";

export interface GatewayOptions {
  logger: GatewayLogger;
  clock?: Clock;
  /** Extra fields for the `/readyz` body (e.g. `{ demo: true }`). */
  readiness?: () => Record<string, unknown> | undefined;
}

/**
 * A running gateway: its HTTP app, its routing state (swapped whole on reload, so in-flight requests
 * finish on the config they started with), and its lifecycle.
 */
export class Gateway {
  readonly app: ReturnType<typeof createGatewayApp>;
  private current: GatewayState;
  private server: Server | undefined;
  private isDraining = false;
  /** The Redis link shared by every model (`state.redis`); changing the URL takes a restart. */
  private readonly stateStore: RedisStateStore | undefined;

  constructor(
    loaded: LoadedConfig,
    private readonly options: GatewayOptions,
  ) {
    const redisUrl = loaded.config.state?.redis;
    if (redisUrl) {
      this.stateStore = new RedisStateStore({
        url: redisUrl,
        logger: options.logger,
        ...(options.clock ? { clock: options.clock } : {}),
      });
    }
    this.current = buildState(loaded, undefined, this.routerOptions());
    const context: GatewayContext = {
      state: () => this.current,
      logger: options.logger,
      draining: () => this.isDraining,
      readiness: () => options.readiness?.(),
      rateLimiter: new RateLimiter({
        ...(this.stateStore ? { store: this.stateStore } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      }),
      stateStore: () => this.stateStore?.health(),
    };
    this.app = createGatewayApp(context);
  }

  get state(): GatewayState {
    return this.current;
  }

  /** Listens on the configured host and port (or the ones given); resolves with the URL. */
  async listen(overrides: { host?: string; port?: number } = {}): Promise<string> {
    const host = overrides.host ?? this.current.config.server.host;
    const port = overrides.port ?? this.current.config.server.port;
    const server = await new Promise<Server>((resolve, reject) => {
      const created = serve({ fetch: this.app.fetch, hostname: host, port }, () =>
        resolve(created as Server),
      );
      created.once("error", reject);
    });
    server.keepAliveTimeout = 65_000;
    this.server = server;
    await this.current.router.startHealthChecks();
    const address = server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `http://${shownHost}:${address.port}`;
  }

  /**
   * Swaps in a new config. Requests already running finish on the old one; connection pools of
   * unchanged provider keys are kept.
   */
  async reload(loaded: LoadedConfig): Promise<void> {
    const previous = this.current;
    if (loaded.config.state?.redis !== previous.config.state?.redis) {
      this.options.logger.warn({}, "state.redis changed: restart the gateway to use the new Redis");
    }
    const next = buildState(loaded, previous.router.adapters, this.routerOptions());
    this.current = next;
    if (this.server) await next.router.startHealthChecks();
    await previous.router.close({ keepAdapters: true });
    await previous.router.closeAdaptersNotIn(next.router);
  }

  /**
   * Stops accepting connections, lets in-flight requests and streams finish for up to `graceMs`,
   * then cuts what is left and releases every upstream connection.
   */
  async close(graceMs = this.current.config.server.shutdownGraceMs): Promise<void> {
    this.isDraining = true;
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearInterval(idleSweep);
      clearTimeout(timer);
    }
    await this.current.router.close({ abortAfterMs: 0 });
    await this.stateStore?.close();
  }

  /** Each model's engines get their namespace of the shared state and cache (`chat:<model>`...). */
  private routerOptions(): ModelRouterOptions {
    const store = this.stateStore;
    return {
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...(store
        ? {
            sharedState: (model, engine) => store.view(`${engine}:${model}`),
            cacheStore: (model, engine) => store.cacheStore(`${engine}:${model}`),
          }
        : {}),
    };
  }
}

function buildState(
  loaded: LoadedConfig,
  reuse: ModelRouter["adapters"] | undefined,
  options: ModelRouterOptions,
): GatewayState {
  const { config, skippedProviders } = loaded;
  return {
    config,
    router: new ModelRouter(config, skippedProviders, { ...options, ...(reuse ? { reuse } : {}) }),
    clients: new ClientRegistry(config.clients),
    skippedProviders,
  };
}
