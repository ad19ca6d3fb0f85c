import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { type Clock, systemClock } from "../engine/clock.js";
import type { GatewayState } from "../gateway/gateway-context.js";
import type {
  RequestEnd,
  RequestObservation,
  RequestObserver,
  RequestStart,
} from "../gateway/request-observer.js";
import type { ModelRouter } from "../gateway/routing/model-router.js";
import type { StateStoreHealth } from "../state/redis-state-store.js";
import { traceFromReport } from "../store/trace-from-report.js";
import type { TraceStore } from "../store/trace-store.js";
import { AdminSessions } from "./admin-sessions.js";
import { EventFeed } from "./event-feed.js";
import { describeSignal } from "./feed-messages.js";
import { GatewayMetrics } from "./gateway-metrics.js";
import { MemoryTraces, type TraceReader } from "./memory-traces.js";
import { providerType, requestFacts } from "./request-facts.js";
import { RequestSpan } from "./request-tracing.js";
import { TargetSeries } from "./target-series.js";
import { type EngineSignal, watchRouter } from "./watch-router.js";

export interface ObservabilityOptions {
  /** The gateway's current state (config and router), read on every use. */
  state(): GatewayState;
  clock?: Clock;
  stateStore?(): StateStoreHealth | undefined;
  traceStore?(): TraceStore | undefined;
  /** Export Node's process metrics too. Default true. */
  processMetrics?: boolean;
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
  private readonly watched = new Map<ModelRouter, () => void>();
  private readonly health = new Map<string, boolean>();
  private readonly streams = new Set<() => void>();
  private metricsServer: Server | undefined;

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

  get state(): GatewayState {
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
  watch(router: ModelRouter): void {
    if (this.watched.has(router)) return;
    this.watched.set(
      router,
      watchRouter(router, (signal) => this.onSignal(signal, router)),
    );
  }

  /** Stops listening to a router (once it is closed and its calls are done). */
  unwatch(router: ModelRouter): void {
    this.watched.get(router)?.();
    this.watched.delete(router);
  }

  start(start: RequestStart): RequestObservation {
    this.metrics.requestStarted(start.endpoint);
    const span = new RequestSpan(start);
    return {
      run: (work) => span.run(work),
      end: (end) => this.ended(end, span),
    };
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
    span.end(end, { ...facts, providerType: (name) => providerType(config, name) });
    this.series.record(GATEWAY_SERIES.requests, end.outcome === "success", end.latencyMs);
    if (!this.options.traceStore?.()) {
      this.memoryTraces.record(
        traceFromReport({
          id: end.requestId,
          startedAt: end.startedAt,
          client: end.client,
          model: end.model,
          protocol: end.protocol,
          stream: end.stream,
          outcome: end.outcome,
          status: end.status,
          error: end.error,
          report: end.report,
          targets: end.route?.targets,
          latencyMs: Math.round(end.latencyMs),
          firstByteMs: end.firstByteMs === undefined ? undefined : Math.round(end.firstByteMs),
          usage: end.usage,
          pricing: config.pricing,
        }),
      );
    }
  }

  private onSignal(signal: EngineSignal, router: ModelRouter): void {
    this.metrics.engineSignal(signal, router.route(signal.model));
    if (signal.type === "attempt") {
      this.series.record(seriesKey(signal), signal.ok, signal.latencyMs);
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

/** The key of one engine target's series: `<endpoint>:<model>:<target>`. */
export function seriesKey(origin: { endpoint: string; model: string; target: string }): string {
  return `${origin.endpoint}:${origin.model}:${origin.target}`;
}
