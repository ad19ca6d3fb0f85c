import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import type { LoadedConfig } from "../config/index.js";
import { type Clock, systemClock } from "../engine/clock.js";
import { mountObservability } from "../observe/mount-observability.js";
import { Observability } from "../observe/observability.js";
import { RateLimiter } from "../state/rate-limiter.js";
import { RedisAffinityStore } from "../state/redis-affinity-store.js";

import { RedisStateStore } from "../state/redis-state-store.js";
import { BudgetGuard } from "../store/budget.js";
import { createTraceStore } from "../store/create-trace-store.js";
import { RedisResponseStore } from "../store/redis-response-store.js";
import { MemoryResponseStore, type ResponseStore } from "../store/response-store.js";
import type { TraceStore } from "../store/trace-store.js";
import { TraceStoreReporter } from "../store/trace-store-reporter.js";
import { ClientRegistry, presentedKey, type RuntimeKeyLookup } from "./auth/client-registry.js";
import {
  createGatewayApp,
  createGatewayListener,
  type ExchangeRoute,
  exchangeRoutes,
  type GatewayApp,
} from "./create-gateway-app.js";
import { createGatewayAlerts, type GatewayAlerts } from "./gateway-alerts.js";
import type { GatewayContext, GatewayLogger, GatewayState } from "./gateway-context.js";
import { mountKeyRoutes } from "./keys/key-routes.js";
import { createRuntimeKeyService, type RuntimeKeyService } from "./keys/runtime-key-service.js";
import { combineObservers, createTraceRecorder } from "./observers/trace-recorder.js";
import type { ProviderTypes } from "./routing/load-provider-modules.js";
import { ModelRouter, type ModelRouterOptions } from "./routing/model-router.js";

export interface GatewayOptions {
  logger: GatewayLogger;
  clock?: Clock;
  /** Extra fields for the `/readyz` body (e.g. `{ demo: true }`). */
  readiness?: () => Record<string, unknown> | undefined;
  /**
   * Where request traces are kept. Default: the config's `database` (none without one). A store
   * passed here is the caller's to close; one made from the config is closed (flushed) by `close()`.
   */
  traceStore?: TraceStore;
  /**
   * Provider types of one's own, for `type: module` providers: a provider whose `module` names a
   * key here is built by that factory, without importing anything. Other modules are imported by
   * `loadProviderModules` (as `switchyard serve` does) and passed here.
   */
  providerTypes?: ProviderTypes;
}

/**
 * A running gateway: its HTTP app, its routing state (swapped whole on reload, so in-flight requests
 * finish on the config they started with), and its lifecycle.
 */
export class Gateway {
  readonly app: GatewayApp;
  private readonly context: GatewayContext;
  private readonly routes: readonly ExchangeRoute[];
  private current: GatewayState;
  private server: Server | undefined;
  private isDraining = false;
  /** The Redis link shared by every model (`state.redis`); changing the URL takes a restart. */
  private readonly stateStore: RedisStateStore | undefined;
  /** Metrics, tracing, the dashboard and its live feed. */
  readonly observability: Observability;
  /** Where `/metrics` is served without auth (`server.metrics.port`), once listening. */
  metricsUrl: string | undefined;
  /** Request traces and usage (`database`), when kept. */
  readonly traceStore: TraceStore | undefined;
  private readonly ownsTraceStore: boolean;
  /** Webhooks told about outages and spending (`alerts`). */
  private readonly alerts: GatewayAlerts;
  /** Stored Responses API responses: in the database, else Redis, else memory. */
  readonly responseStore: ResponseStore;
  /** Logs the trace store's failures and drops, a few lines per outage. */
  private readonly traceReporter: TraceStoreReporter | undefined = undefined;
  /** Virtual keys made at runtime through the admin API (with a database). */
  readonly runtimeKeys: RuntimeKeyService | undefined;
  private providerTypes: ProviderTypes;

  constructor(
    loaded: LoadedConfig,
    private readonly options: GatewayOptions,
  ) {
    this.providerTypes = options.providerTypes ?? {};
    const redisUrl = loaded.config.state?.redis;
    if (redisUrl) {
      this.stateStore = new RedisStateStore({
        url: redisUrl,
        logger: options.logger,
        ...(options.clock ? { clock: options.clock } : {}),
      });
    }
    const database = loaded.config.database;
    this.ownsTraceStore = !options.traceStore && database !== undefined;
    if (options.traceStore || !database) {
      this.traceStore = options.traceStore;
    } else {
      // The reporter is made once the store says its backend; the store only calls it later.
      let reporter: TraceStoreReporter | undefined;
      this.traceStore = createTraceStore({
        url: database.url,
        baseDir: dirname(resolve(loaded.file)),
        storeContent: database.storeContent,
        ...(options.clock ? { clock: options.clock } : {}),
        onDrop: (event) => reporter?.tracesDropped(event),
        onError: (error) => reporter?.writeFailed(error),
        onRecover: (failures) => reporter?.recovered(failures),
      });
      reporter = new TraceStoreReporter({
        logger: options.logger,
        backend: this.traceStore.kind,
        ...(options.clock ? { clock: options.clock } : {}),
      });
      this.traceReporter = reporter;
    }
    this.runtimeKeys = createRuntimeKeyService({
      traceStore: this.traceStore,
      link: this.stateStore,
      clock: options.clock ?? systemClock,
      pollIntervalMs: database?.keyPollIntervalMs ?? 500,
      logger: options.logger,
    });
    this.current = buildState(loaded, undefined, this.routerOptions(), this.runtimeKeys?.keys);
    this.alerts = createGatewayAlerts({
      config: () => this.current.config,
      clock: options.clock ?? systemClock,
      onOutcome: (event, outcome) => this.observability.alertOutcome(event, outcome),
    });
    const budget = this.traceStore
      ? new BudgetGuard({
          store: this.runtimeKeys?.spend ?? this.traceStore,
          budgetOf: (client) =>
            this.current.config.clients?.find((c) => c.name === client)?.budget ??
            this.runtimeKeys?.keys.budgetOf(client),
          alsoCharged: (client) => this.runtimeKeys?.keys.teamOf(client),
          onSpend: (spend) => this.alerts.onSpend(spend),
        })
      : undefined;
    this.observability = new Observability({
      state: () => this.current,
      ...(options.clock ? { clock: options.clock } : {}),
      stateStore: () => this.stateStore?.health(),
      traceStore: () => context.traceStore?.(),
      onSignal: (signal) => this.alerts.onSignal(signal),
    });
    this.observability.watch(this.current.router);
    this.responseStore = createResponseStore(
      loaded.config,
      this.traceStore,
      this.stateStore,
      options.clock ?? systemClock,
    );
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
      observer: combineObservers([
        this.observability,
        ...(this.traceStore
          ? [createTraceRecorder(this.traceStore, () => this.current.config, budget)]
          : []),
      ]),
      traceStore: () => this.traceStore,
      responseStore: () => this.responseStore,
      ...(budget ? { budget } : {}),
    };
    this.context = context;
    this.routes = exchangeRoutes(context);
    this.app = createGatewayApp(context, this.routes);
    const adminHost = { draining: () => this.isDraining, presentedKey };
    mountObservability(this.app, adminHost, this.observability);
    mountKeyRoutes(this.app, adminHost, this.observability, () => this.runtimeKeys?.admin);
  }

  get state(): GatewayState {
    return this.current;
  }

  /** Listens on the configured host and port (or the ones given); resolves with the URL. */
  async listen(overrides: { host?: string; port?: number } = {}): Promise<string> {
    const host = overrides.host ?? this.current.config.server.host;
    const port = overrides.port ?? this.current.config.server.port;
    await this.runtimeKeys?.sync.ready;
    const server = createServer(createGatewayListener(this.context, this.app, this.routes, host));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.keepAliveTimeout = 65_000;
    this.server = server;
    const metricsPort = this.current.config.server.metrics?.port;
    if (metricsPort !== undefined) {
      this.metricsUrl = await this.observability.listenMetrics(host, metricsPort);
    }
    await this.current.router.startHealthChecks();
    const address = server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `http://${shownHost}:${address.port}`;
  }

  /**
   * Swaps in a new config. Requests already running finish on the old one; connection pools of
   * unchanged provider keys are kept.
   */
  async reload(loaded: LoadedConfig, providerTypes?: ProviderTypes): Promise<void> {
    if (providerTypes !== undefined) this.providerTypes = providerTypes;
    const previous = this.current;
    if (loaded.config.state?.redis !== previous.config.state?.redis) {
      this.options.logger.warn({}, "state.redis changed: restart the gateway to use the new Redis");
    }
    const next = buildState(
      loaded,
      previous.router.adapters,
      this.routerOptions(),
      this.runtimeKeys?.keys,
    );
    this.current = next;
    this.observability.watch(next.router);
    if (this.server) await next.router.startHealthChecks();
    await previous.router.close({ keepAdapters: true });
    this.observability.unwatch(previous.router);
    await previous.router.closeAdaptersNotIn(next.router);
  }

  /**
   * Stops accepting connections, lets in-flight requests and streams finish for up to `graceMs`,
   * then cuts what is left and releases every upstream connection.
   */
  async close(graceMs = this.current.config.server.shutdownGraceMs): Promise<void> {
    this.isDraining = true;
    this.observability.endStreams();
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
    await this.observability.close();
    this.runtimeKeys?.sync.close();
    if (this.ownsTraceStore) await this.traceStore?.close();
    await this.alerts.close();
    await this.responseStore.close();
    this.traceReporter?.flush();
    await this.stateStore?.close();
  }

  /** Each model's engines get their namespace of the shared state and cache (`chat:<model>`...). */
  private routerOptions(): ModelRouterOptions {
    const store = this.stateStore;
    return {
      providerTypes: this.providerTypes,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...(store
        ? {
            sharedState: (model, engine) => store.view(`${engine}:${model}`),
            cacheStore: (model, engine) => store.cacheStore(`${engine}:${model}`),
            affinityStore: (model) => new RedisAffinityStore(store, `chat:${model}`),
          }
        : {}),
    };
  }
}

/** Where stored responses live: the trace database, else Redis (`state.redis`), else memory. */
function createResponseStore(
  config: LoadedConfig["config"],
  traceStore: TraceStore | undefined,
  stateStore: RedisStateStore | undefined,
  clock: Clock,
): ResponseStore {
  const inDatabase = traceStore?.responseStore?.(clock);
  if (inDatabase) return inDatabase;
  if (stateStore) return new RedisResponseStore(stateStore);
  return new MemoryResponseStore(clock, config.responses.maxStoredInMemory);
}

function buildState(
  loaded: LoadedConfig,
  reuse: ModelRouter["adapters"] | undefined,
  options: ModelRouterOptions,
  runtimeKeys: RuntimeKeyLookup | undefined,
): GatewayState {
  const { config, skippedProviders } = loaded;
  return {
    config,
    router: new ModelRouter(config, skippedProviders, { ...options, ...(reuse ? { reuse } : {}) }),
    clients: new ClientRegistry(config.clients, runtimeKeys),
    skippedProviders,
  };
}
