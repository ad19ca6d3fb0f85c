import type { ChaosScenario } from "./chaos-scenarios.js";
import { type ChaosUpstreams, chaosKey } from "./chaos-upstreams.js";
import type { SequentialProvider } from "./sequential-fallback.js";

export interface ChaosEngineSettings {
  hedgeDelayMs: number;
  /** Per-attempt time limit, the same for Switchyard and the sequential baseline. */
  attemptTimeoutMs: number;
}

/** The vendor model every chaos request asks the upstreams for. */
const UPSTREAM_MODEL = "gpt-4o-mini";

/**
 * Switchyard's config for the chaos run: per scenario a model named after it, with the scenario's
 * primary (one candidate per key) first and its fallback second. The engine options are the
 * defaults, except the durations a 15-second scenario needs shorter: the breaker's recovery time,
 * how long an exhausted key rests, and hedging after `hedgeDelayMs`.
 */
export function chaosConfigText(
  plans: readonly { scenario: ChaosScenario; upstreams: ChaosUpstreams }[],
  settings: ChaosEngineSettings,
): string {
  const providers: Record<string, unknown>[] = [];
  const models: Record<string, unknown>[] = [];
  for (const { scenario, upstreams } of plans) {
    const origins = upstreams.origins;
    providers.push(
      {
        name: `${scenario.name}-primary`,
        type: "openai",
        baseUrl: `${origins.primary}/v1`,
        keys: scenario.primaryKeys.map((id, index) => ({
          key: chaosKey(scenario.name, "primary", id),
          id,
          priority: index + 1,
        })),
      },
      {
        name: `${scenario.name}-fallback`,
        type: "openai",
        baseUrl: `${origins.fallback}/v1`,
        keys: [{ key: chaosKey(scenario.name, "fallback", "a"), id: "a" }],
      },
    );
    models.push({
      name: scenario.name,
      targets: [
        { provider: `${scenario.name}-primary`, model: UPSTREAM_MODEL, priority: 1 },
        { provider: `${scenario.name}-fallback`, model: UPSTREAM_MODEL, priority: 2 },
      ],
    });
  }
  return JSON.stringify({
    server: { host: "127.0.0.1", port: 0, shutdownGraceMs: 500 },
    defaults: {
      recoveryTimeoutMs: 2000,
      maxRecoveryTimeoutMs: 4000,
      quotaCooldownMs: 3000,
      timeoutMs: settings.attemptTimeoutMs,
      deadlineMs: settings.attemptTimeoutMs * 2,
      hedge: { delayMs: settings.hedgeDelayMs },
    },
    providers,
    models,
    logging: { level: "info" },
  });
}

/** The baseline's routes: per scenario model, the primary's keys in order, then the fallback. */
export function sequentialModels(
  plans: readonly { scenario: ChaosScenario; upstreams: ChaosUpstreams }[],
): Record<string, SequentialProvider[]> {
  const models: Record<string, SequentialProvider[]> = {};
  for (const { scenario, upstreams } of plans) {
    const origins = upstreams.origins;
    models[scenario.name] = [
      ...scenario.primaryKeys.map((id) => ({
        name: `${scenario.name}-primary#${id}`,
        type: "openai" as const,
        baseUrl: `${origins.primary}/v1`,
        apiKey: chaosKey(scenario.name, "primary", id),
        model: UPSTREAM_MODEL,
      })),
      {
        name: `${scenario.name}-fallback`,
        type: "openai" as const,
        baseUrl: `${origins.fallback}/v1`,
        apiKey: chaosKey(scenario.name, "fallback", "a"),
        model: UPSTREAM_MODEL,
      },
    ];
  }
  return models;
}
