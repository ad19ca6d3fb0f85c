import { Counter, Gauge, type Registry } from "prom-client";
import { CounterCells, GaugeCells, HistogramCells } from "./metric-cells.js";

/** Seconds; from a cache hit to a slow reasoning model. */
const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160];

const TARGET_LABELS = ["endpoint", "model", "target", "provider", "key"] as const;

/**
 * Every series the gateway exports; docs/observability.md lists them with their labels. The ones fed
 * on every request or attempt are cells (`metric-cells.ts`): found by a joined key, not by hashing
 * a label object per call.
 */
export function defineMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new CounterCells({
      name: "switchyard_requests_total",
      help: "Requests answered, by endpoint, model, serving provider, HTTP status and outcome",
      labelNames: ["endpoint", "model", "provider", "status", "outcome"] as const,
      registers,
    }),
    requestsInFlight: new GaugeCells({
      name: "switchyard_requests_in_flight",
      help: "Requests being handled now",
      labelNames: ["endpoint"] as const,
      registers,
    }),
    requestDuration: new HistogramCells({
      name: "switchyard_request_duration_seconds",
      help: "Whole-request latency as the client saw it (streams: until the last byte)",
      labelNames: ["endpoint", "model", "provider"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    firstByte: new HistogramCells({
      name: "switchyard_request_first_byte_seconds",
      help: "Streams: time until the first chunk went out, fail-overs included",
      labelNames: ["endpoint", "model", "provider"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    attempts: new CounterCells({
      name: "switchyard_attempts_total",
      help: "Upstream attempts and skipped candidates, by outcome and reason (error kind or skip reason)",
      labelNames: ["endpoint", "model", "provider", "key", "outcome", "reason"] as const,
      registers,
    }),
    attemptDuration: new HistogramCells({
      name: "switchyard_attempt_duration_seconds",
      help: "Latency of single upstream attempts (streams: to the first chunk)",
      labelNames: ["endpoint", "model", "provider", "key", "outcome"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    fallbacks: new Counter({
      name: "switchyard_fallbacks_total",
      help: "Fail-overs from one target to the next, by the failure's kind",
      labelNames: ["endpoint", "model", "from", "to", "reason"] as const,
      registers,
    }),
    continuations: new Counter({
      name: "switchyard_continuations_total",
      help: "Streams cut after their first byte that stream recovery tried to continue, by outcome",
      labelNames: ["model", "outcome"] as const,
      registers,
    }),
    retryBudgetRejections: new CounterCells({
      name: "switchyard_retry_budget_rejections_total",
      help: "Retries refused because the engine's retry budget was spent",
      labelNames: ["endpoint", "model"] as const,
      registers,
    }),
    circuitTransitions: new Counter({
      name: "switchyard_circuit_transitions_total",
      help: "Circuit breaker state changes",
      labelNames: ["endpoint", "model", "target", "from", "to"] as const,
      registers,
    }),
    cooldowns: new Counter({
      name: "switchyard_cooldowns_total",
      help: "Targets put to cool down, by what they cool down from",
      labelNames: ["endpoint", "model", "target", "reason"] as const,
      registers,
    }),
    healthChecks: new Counter({
      name: "switchyard_health_checks_total",
      help: "Health check results",
      labelNames: ["endpoint", "model", "target", "result"] as const,
      registers,
    }),
    tokens: new CounterCells({
      name: "switchyard_tokens_total",
      help: "Tokens of served requests, by type (input, output, cached_input)",
      labelNames: ["model", "provider", "client", "type"] as const,
      registers,
    }),
    cost: new CounterCells({
      name: "switchyard_cost_usd_total",
      help: "Cost in USD of served requests, from the config's pricing table",
      labelNames: ["model", "provider", "client"] as const,
      registers,
    }),
    circuitState: new Gauge({
      name: "switchyard_circuit_state",
      help: "1 for the state each target's circuit is in (closed, open, half_open), else 0",
      labelNames: [...TARGET_LABELS, "state"] as const,
      registers,
    }),
    targetInFlight: new Gauge({
      name: "switchyard_target_in_flight",
      help: "Upstream calls in flight per target",
      labelNames: TARGET_LABELS,
      registers,
    }),
    targetCoolingDown: new Gauge({
      name: "switchyard_target_cooldown_seconds",
      help: "Seconds left of a target's cooldown (0 when not cooling down)",
      labelNames: TARGET_LABELS,
      registers,
    }),
    targetHealthy: new Gauge({
      name: "switchyard_target_healthy",
      help: "Last health check: 1 healthy, 0 unhealthy (absent until checked)",
      labelNames: TARGET_LABELS,
      registers,
    }),
    stateStoreConnected: new Gauge({
      name: "switchyard_state_store_connected",
      help: "1 when the shared state store (Redis) is connected; absent when none is configured",
      labelNames: ["backend"] as const,
      registers,
    }),
    stateStoreErrors: new Counter({
      name: "switchyard_state_store_errors_total",
      help: "Shared state store errors since start, by type (command, connection)",
      labelNames: ["backend", "type"] as const,
      registers,
    }),
    traceStorePending: new Gauge({
      name: "switchyard_trace_store_pending",
      help: "Request traces buffered, not yet written; absent without a trace store",
      labelNames: ["backend"] as const,
      registers,
    }),
    traceStoreDropped: new Counter({
      name: "switchyard_trace_store_dropped_total",
      help: "Request traces dropped (buffer full, or recorded after close)",
      labelNames: ["backend"] as const,
      registers,
    }),
    alerts: new Counter({
      name: "switchyard_alerts_total",
      help: "Alerts by event and outcome (sent, failed after its retries, suppressed by minIntervalMs, dropped)",
      labelNames: ["event", "outcome"] as const,
      registers,
    }),
    traceStoreWriteFailures: new Counter({
      name: "switchyard_trace_store_write_failures_total",
      help: "Failed trace store writes (each is retried; the traces stay buffered)",
      labelNames: ["backend"] as const,
      registers,
    }),
    traceStoreWriting: new Gauge({
      name: "switchyard_trace_store_writing",
      help: "1 while trace store writes succeed, 0 while they fail; absent without a trace store",
      labelNames: ["backend"] as const,
      registers,
    }),
  };
}

export type MetricSet = ReturnType<typeof defineMetrics>;
