import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { SwitchyardConfig } from "../config/index.js";
import { type Clock, systemClock } from "../engine/clock.js";
import type { StateStoreHealth } from "../state/redis-state-store.js";
import type { TraceStore } from "../store/trace-store.js";
import { AdminSessions } from "./admin-sessions.js";
import { EventFeed } from "./event-feed.js";
import { describeSignal } from "./feed-messages.js";
import { GatewayMetrics } from "./gateway-metrics.js";
import { MemoryTraces, type TraceReader } from "./memory-traces.js";
import type { ObservedRouter, ObservedState } from "./observed-gateway.js";
import { providerType, requestFacts } from "./request-facts.js";
import type {
  RequestEnd,
  RequestObservation,
  RequestObserver,
  RequestStart,
} from "./request-observer.js";
import { RequestSpan } from "./request-tracing.js";
import { TargetSeries } from "./target-series.js";
import { traceOfRequest } from "./trace-of-request.js";
import { type EngineSignal, watchRouter } from "./watch-router.js";

export interface ObservabilityOptions {
  /** The gateway's current state (config and router), read on every use. */
  state(): ObservedState;
  clock?: Clock;
  stateStore?(): StateStoreHealth | undefined;
  traceStore?(): TraceStore | undefined;
  /** Export Node's process metrics too. Default true. */
  processMetrics?: boolean;
  /** Also told about every engine signal (alerts); must not throw. */
  onSignal?: (signal: EngineSignal) => void;
}

/** Where the dashboard reads requests and usage from. */
export interface TraceSource {
  reader: TraceReader;
  /** `sqlite`/`postgres` for a trace store, `memory` for the last requests held in memory. */
  kind: "sqlite" | "postgres" | "memory";
  store: TraceStore | undefined;
}

/** Series keys of the gateway-wide charts. */
export const GATEWAY_SERIES = { requests: "gateway:requests", fallbacks: "gateway:fallbacks" };

/**
 * Everything the gateway shows about itself: Prometheus metrics, OpenTelemetry spans, per-target
 * time series, the live event feed and the dashboard's sessions. It observes requests (as the
 * gateway's `RequestObserver`) and listens to the engines of every router it is told to watch.
 */
export class Observability implements RequestObserver {
  readonly clock: Clock;
  readonly startedAt: number;
  readonly metrics: GatewayMetrics;
  readonly series: TargetSeries;
  readonly feed = new EventFeed();
  readonly memoryTraces = new MemoryTraces();
  readonly sessions: AdminSessions;
  private readonly watched = new Map<ObservedRouter, () => void>();
  private readonly health = new Map<string, boolean>();
  private readonly streams = new Set<() => void>();
  /** Series keys by endpoint, model and target (see `seriesKeyOf`). */
  private readonly seriesKeys = new Map<string, Map<string, Map<string, string>>>();
  private metricsServer: Server | undefined;
  /** `ended`, bound once: every observed request holds it. */
  private readonly endRequest = (end: RequestEnd, span: RequestSpan) => this.ended(end, span);
  /** The provider-type lookup of the last config seen (a request's span asks it). */
  private typed:
    | { config: SwitchyardConfig; lookup: (provider: string) => string | undefined }
    | undefined;

  constructor(private readonly options: ObservabilityOptions) {
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.series = new TargetSeries({ clock: this.clock });
    this.sessions = new AdminSessions({ clock: this.clock });
    this.metrics = new GatewayMetrics(
      {
        router: () => options.state().router,
        stateStore: () => options.stateStore?.(),
        traceStore: () => options.traceStore?.(),
        clock: this.clock,
      },
      { processMetrics: options.processMetrics },
    );
  }

  get state(): ObservedState {
    return this.options.state();
  }

  get stateStoreHealth(): StateStoreHealth | undefined {
    return this.options.stateStore?.();
  }

  traces(): TraceSource {
    const store = this.options.traceStore?.();
    return store
      ? { reader: store, kind: store.kind, store }
      : { reader: this.memoryTraces, kind: "memory", store: undefined };
  }

  /** Listens to a router's engines (call again for the router a reload builds). */
  watch(router: ObservedRouter): void {
    if (this.watched.has(router)) return;
    this.watched.set(
      router,
      watchRouter(router, (signal) => this.onSignal(signal, router)),
    );
  }

  /** Stops listening to a router (once it is closed and its calls are done). */
  unwatch(router: ObservedRouter): void {
    this.watched.get(router)?.();
    this.watched.delete(router);
  }

  /** Counts an alert's delivery outcome (`switchyard_alerts_total`). */
  alertOutcome(event: string, outcome: string): void {
    this.metrics.alertOutcome(event, outcome);
  }

  start(start: RequestStart): RequestObservation {
    this.metrics.requestStarted(start.endpoint);
    return new Observation(new RequestSpan(start), this.endRequest);
  }

  /** Serves `GET /metrics` without auth on its own port (`server.metrics.port`); resolves with its URL. */
  async listenMetrics(host: string, port: number): Promise<string> {
    const app = new Hono();
    app.get("/metrics", async () => this.metricsResponse());
    const server = await new Promise<Server>((resolve, reject) => {
      const created = serve({ fetch: app.fetch, hostname: host, port }, () =>
        resolve(created as Server),
      );
      created.once("error", reject);
    });
    this.metricsServer = server;
    const address = server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `http://${shownHost}:${address.port}`;
  }

  async metricsResponse(): Promise<Response> {
    return new Response(await this.metrics.text(), {
      headers: { "content-type": this.metrics.contentType },
    });
  }

  /** Registers an open event stream; `close()` ends it. */
  trackStream(close: () => void): () => void {
    this.streams.add(close);
    return () => this.streams.delete(close);
  }

  /** Ends the live event streams (a server cannot close while they are open). */
  endStreams(): void {
    for (const close of [...this.streams]) close();
  }

  /** Ends the live event streams, stops listening to engines, and stops the metrics port. */
  async close(): Promise<void> {
    this.endStreams();
    for (const stop of this.watched.values()) stop();
    this.watched.clear();
    const server = this.metricsServer;
    this.metricsServer = undefined;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private ended(end: RequestEnd, span: RequestSpan): void {
    const config = this.options.state().config;
    const facts = requestFacts(end, config);
    this.metrics.requestEnded(end, facts);
    const { model, provider, client, target, costUsd } = facts;
    span.end(end, { model, provider, client, target, costUsd, providerType: this.typesOf(config) });
    this.series.record(GATEWAY_SERIES.requests, end.outcome === "success", end.latencyMs);
    if (!this.options.traceStore?.()) {
      this.memoryTraces.record(traceOfRequest(end, config.pricing));
    }
  }

  /** `providerType` over `config`, made once per config rather than once per request. */
  private typesOf(config: SwitchyardConfig): (provider: string) => string | undefined {
    if (this.typed?.config !== config) {
      this.typed = { config, lookup: (provider) => providerType(config, provider) };
    }
    return this.typed.lookup;
  }

  /**
   * `seriesKey(origin)`, kept: a string made once has its hash cached, where one joined per event
   * is built and hashed again (a success per attempt comes through here). Bounded by the targets
   * ever configured.
   */
  private seriesKeyOf({ endpoint, model, target }: SeriesOrigin): string {
    let byModel = this.seriesKeys.get(endpoint);
    if (!byModel) {
      byModel = new Map();
      this.seriesKeys.set(endpoint, byModel);
    }
    let byTarget = byModel.get(model);
    if (!byTarget) {
      byTarget = new Map();
      byModel.set(model, byTarget);
    }
    let key = byTarget.get(target);
    if (key === undefined) {
      key = seriesKey({ endpoint, model, target });
      byTarget.set(target, key);
    }
    return key;
  }

  private onSignal(signal: EngineSignal, router: ObservedRouter): void {
    this.metrics.engineSignal(signal, router.route(signal.model));
    if (signal.type !== "attempt") this.options.onSignal?.(signal);
    if (signal.type === "attempt") {
      this.series.record(this.seriesKeyOf(signal), signal.ok, signal.latencyMs);
      return;
    }
    if (signal.type === "fallback") this.series.record(GATEWAY_SERIES.fallbacks, true, 0);
    if (signal.type === "health") {
      const key = seriesKey(signal);
      const previous = this.health.get(key);
      this.health.set(key, signal.healthy);
      // Every check is counted; only a change of verdict (or a first bad one) is news.
      if (previous === signal.healthy || (previous === undefined && signal.healthy)) return;
    }
    this.feed.publish({ ...describeSignal(signal), at: this.clock.now() });
  }
}

/** Which engine target a series is about. */
interface SeriesOrigin {
  endpoint: string;
  model: string;
  target: string;
}

/** The key of one engine target's series: `<endpoint>:<model>:<target>`. */
export function seriesKey(origin: SeriesOrigin): string {
  return `${origin.endpoint}:${origin.model}:${origin.target}`;
}

/** One observed request: its span, and where it goes when it ends. */
class Observation implements RequestObservation {
  constructor(
    private readonly span: RequestSpan,
    private readonly ended: (end: RequestEnd, span: RequestSpan) => void,
  ) {}

  run<T>(work: () => T): T {
    return this.span.run(work);
  }

  end(end: RequestEnd): void {
    this.ended(end, this.span);
  }
}
