import type { HealthState } from "../engine/provider-entry.js";
import type { ProviderStatus } from "../engine/provider-factory.js";
import { GATEWAY_SERIES, type Observability, seriesKey } from "./observability.js";
import type { ObservedRoute } from "./observed-gateway.js";
import type { ObservedEndpoint } from "./request-observer.js";

/**
 * A target's state as the admin API reports it: the engine's, except that a target no health check
 * has judged yet is `unknown`, not `healthy` (the engine's default, meaning only "nothing says
 * otherwise").
 */
export type ReportedStatus = ProviderStatus | "unknown";

/** The status the admin API shows for a target: see `ReportedStatus`. */
export function reportedStatus(
  status: ProviderStatus | undefined,
  health: HealthState,
): ReportedStatus | undefined {
  return status === "healthy" && health === "unknown" ? "unknown" : status;
}

/** One target of one model's engine, as the dashboard's table shows it. */
export interface TargetOverview {
  seriesKey: string;
  endpoint: ObservedEndpoint;
  id: string;
  provider: string;
  keyId: string;
  model: string;
  status: ReportedStatus | undefined;
  circuitState: string;
  /** The last health check's verdict; `unknown` until one has finished. */
  health: HealthState;
  inFlight: number;
  concurrencyLimit: number | undefined;
  cooldownLeftMs: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  totalRequests: number;
  /** Attempts in the series window (15 minutes) and the share that succeeded (null: none). */
  windowAttempts: number;
  successRate: number | null;
  lastError: { kind: string; message: string; atMs: number } | undefined;
}

export interface ModelOverview {
  name: string;
  direct: boolean;
  targets: TargetOverview[];
}

export interface Overview {
  now: number;
  startedAt: number;
  draining: boolean;
  traces: { kind: string; pending?: number; dropped?: number; held?: number };
  stateStore: { connected: boolean; commandErrors: number; connectionErrors: number } | undefined;
  skippedProviders: readonly string[];
  window: { requests: number; errors: number; fallbacks: number; bucketMs: number };
  models: ModelOverview[];
}

/**
 * Every model's targets with their circuit, health, cooldown, load and recent success rate. The
 * chat engine's targets always; an embeddings engine's only once it has served something.
 */
export function buildOverview(observability: Observability, draining: boolean): Overview {
  const state = observability.state;
  const now = observability.clock.now();
  const window = observability.series.snapshot();
  const models = [...state.router.routes.values()].map((route) => ({
    name: route.name,
    direct: route.direct,
    targets: [
      ...engineTargets(route, "chat", now, observability),
      ...engineTargets(route, "embeddings", now, observability).filter(
        (target) => target.totalRequests > 0,
      ),
    ],
  }));
  const requests = observability.series.snapshot([GATEWAY_SERIES.requests]).series[
    GATEWAY_SERIES.requests
  ];
  const fallbacks = observability.series.snapshot([GATEWAY_SERIES.fallbacks]).series[
    GATEWAY_SERIES.fallbacks
  ];
  const traces = observability.traces();
  const stateStore = observability.stateStoreHealth;
  return {
    now: Math.round(now),
    startedAt: Math.round(observability.startedAt),
    draining,
    traces: traces.store
      ? {
          kind: traces.kind,
          pending: traces.store.pendingCount,
          dropped: traces.store.droppedCount,
        }
      : { kind: traces.kind, held: observability.memoryTraces.size },
    stateStore: stateStore && {
      connected: stateStore.connected,
      commandErrors: stateStore.commandErrors,
      connectionErrors: stateStore.connectionErrors,
    },
    skippedProviders: state.skippedProviders,
    window: {
      requests: sum(requests?.successes) + sum(requests?.failures),
      errors: sum(requests?.failures),
      fallbacks: sum(fallbacks?.successes),
      bucketMs: window.bucketMs,
    },
    models,
  };
}

function engineTargets(
  route: ObservedRoute,
  endpoint: ObservedEndpoint,
  now: number,
  observability: Observability,
): TargetOverview[] {
  const engine = endpoint === "chat" ? route.chat : route.embeddings;
  const metrics = engine.getMetrics();
  const status = engine.getStatus();
  const targets: TargetOverview[] = [];
  for (const [id, metric] of Object.entries(metrics)) {
    const target = route.targets.get(id);
    const key = seriesKey({ endpoint, model: route.name, target: id });
    const series = observability.series.snapshot([key]).series[key];
    const ok = sum(series?.successes);
    const failed = sum(series?.failures);
    targets.push({
      seriesKey: key,
      endpoint,
      id,
      provider: target?.provider ?? id,
      keyId: target?.keyId ?? "none",
      model: target?.model ?? "",
      status: reportedStatus(status[id], metric.health),
      circuitState: metric.circuitState,
      health: metric.health,
      inFlight: metric.inFlight,
      concurrencyLimit: metric.concurrencyLimit,
      cooldownLeftMs: Math.max(0, (metric.cooldownUntil ?? 0) - now),
      p50LatencyMs: Math.round(metric.p50LatencyMs),
      p95LatencyMs: Math.round(metric.p95LatencyMs),
      totalRequests: metric.totalRequests,
      windowAttempts: ok + failed,
      successRate: ok + failed > 0 ? ok / (ok + failed) : null,
      lastError: metric.lastError,
    });
  }
  return targets;
}

function sum(values: readonly number[] | undefined): number {
  let total = 0;
  for (const value of values ?? []) total += value;
  return total;
}
