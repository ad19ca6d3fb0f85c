import { classifyError } from "../engine/classify-error.js";
import type { ProviderFactory } from "../engine/provider-factory.js";
import type { ErrorKind } from "../errors/error-kind.js";
import type { ObservedRouter } from "./observed-gateway.js";
import type { ObservedEndpoint } from "./request-observer.js";

/** Which engine of which model a signal came from. */
export interface EngineOrigin {
  endpoint: ObservedEndpoint;
  /** The route's name (a configured model): bounded, safe as a metric label. */
  model: string;
}

/** An engine event, reduced to what metrics, charts and the live feed need. */
export type EngineSignal = EngineOrigin &
  (
    | { type: "attempt"; target: string; ok: boolean; latencyMs: number; kind?: ErrorKind }
    | { type: "fallback"; target: string; to: string; reason: ErrorKind }
    | { type: "circuit"; target: string; from: string; to: string }
    | { type: "cooldown"; target: string; reason: string; durationMs: number }
    | { type: "health"; target: string; healthy: boolean }
    | { type: "exhausted"; attempts: number }
  );

/** The part of an engine this needs (its events do not depend on its request and result types). */
type EngineEvents = Pick<ProviderFactory<unknown, unknown>, "on">;

/**
 * Listens to every engine of a router (each model's chat and embeddings engines) and hands each
 * event on as an `EngineSignal`. Returns the function that stops listening.
 */
export function watchRouter(router: ObservedRouter, onSignal: (signal: EngineSignal) => void) {
  const stops: (() => void)[] = [];
  for (const route of router.routes.values()) {
    const engines: [ObservedEndpoint, EngineEvents][] = [
      ["chat", route.chat],
      ["embeddings", route.embeddings],
    ];
    for (const [endpoint, engine] of engines) {
      stops.push(...watchEngine(engine, { endpoint, model: route.name }, onSignal));
    }
  }
  return () => {
    for (const stop of stops.splice(0)) stop();
  };
}

function watchEngine(
  engine: EngineEvents,
  { endpoint, model }: EngineOrigin,
  emit: (signal: EngineSignal) => void,
): (() => void)[] {
  // Literals, not `{ ...origin, ... }`: a success per attempt comes through here.
  return [
    engine.on("success", ({ targetId, latencyMs }) =>
      emit({ endpoint, model, type: "attempt", target: targetId, ok: true, latencyMs }),
    ),
    engine.on("failure", ({ targetId, latencyMs, kind }) =>
      emit({ endpoint, model, type: "attempt", target: targetId, ok: false, latencyMs, kind }),
    ),
    engine.on("fallback", ({ from, to, error }) =>
      emit({
        endpoint,
        model,
        type: "fallback",
        target: from,
        to,
        reason: classifyError(error).kind,
      }),
    ),
    engine.on("circuit", ({ targetId, from, to }) =>
      emit({ endpoint, model, type: "circuit", target: targetId, from, to }),
    ),
    engine.on("cooldown", ({ targetId, reason, durationMs }) =>
      emit({ endpoint, model, type: "cooldown", target: targetId, reason, durationMs }),
    ),
    engine.on("health", ({ targetId, healthy }) =>
      emit({ endpoint, model, type: "health", target: targetId, healthy }),
    ),
    engine.on("allFailed", ({ attempts }) => {
      // Every target refused on content policy (`contentFilterFallback`): the client got a
      // refusal as its answer, and no target is in trouble.
      const failures = attempts.filter((attempt) => attempt.outcome === "failure");
      if (failures.length > 0 && failures.every((attempt) => attempt.kind === "content_filter")) {
        return;
      }
      emit({ endpoint, model, type: "exhausted", attempts: attempts.length });
    }),
  ];
}
