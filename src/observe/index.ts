export { AdminSessions, type AdminSessionsOptions, SESSION_COOKIE } from "./admin-sessions.js";
export type { ModelOverview, Overview, TargetOverview } from "./build-overview.js";
export { EventFeed, type FeedEvent, type FeedEventType, type FeedListener } from "./event-feed.js";
export {
  GatewayMetrics,
  type GatewayMetricsOptions,
  type MetricsSources,
} from "./gateway-metrics.js";
export { MemoryTraces, type MemoryTracesOptions, type TraceReader } from "./memory-traces.js";
export { mountObservability } from "./mount-observability.js";
export {
  GATEWAY_SERIES,
  Observability,
  type ObservabilityOptions,
  seriesKey,
  type TraceSource,
} from "./observability.js";
export { RequestSpan, TRACER_NAME } from "./request-tracing.js";
export {
  type SeriesSnapshot,
  type SeriesWindow,
  TargetSeries,
  type TargetSeriesOptions,
} from "./target-series.js";
export { type EngineSignal, watchRouter } from "./watch-router.js";
