import type { FeedEvent } from "./event-feed.js";
import type { EngineSignal } from "./watch-router.js";

type Described = Omit<FeedEvent, "id" | "at">;

/** A feed event for an engine signal, with a one-line message that quotes no upstream text. */
export function describeSignal(signal: Exclude<EngineSignal, { type: "attempt" }>): Described {
  const { endpoint, model } = signal;
  switch (signal.type) {
    case "fallback":
      return {
        type: "fallback",
        endpoint,
        model,
        target: signal.target,
        to: signal.to,
        reason: signal.reason,
        message: `${signal.target} failed (${words(signal.reason)}); fell over to ${signal.to}`,
      };
    case "circuit":
      return {
        type: "circuit",
        endpoint,
        model,
        target: signal.target,
        from: signal.from,
        state: signal.to,
        message: `circuit of ${signal.target} ${circuitVerb(signal.to)}`,
      };
    case "cooldown":
      return {
        type: "cooldown",
        endpoint,
        model,
        target: signal.target,
        reason: signal.reason,
        durationMs: signal.durationMs,
        message: `${signal.target} cools down for ${duration(signal.durationMs)} (${words(signal.reason)})`,
      };
    case "health":
      return {
        type: "health",
        endpoint,
        model,
        target: signal.target,
        healthy: signal.healthy,
        message: `${signal.target} is ${signal.healthy ? "healthy again" : "failing its health check"}`,
      };
    case "exhausted":
      return {
        type: "exhausted",
        endpoint,
        model,
        message: `every target of ${model} failed (${signal.attempts} attempts and skips)`,
      };
  }
}

function circuitVerb(state: string): string {
  if (state === "open") return "opened";
  if (state === "half_open") return "is half-open (trying again)";
  return "closed";
}

function words(text: string): string {
  return text.replaceAll("_", " ");
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
