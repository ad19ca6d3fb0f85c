import type { AlertEvent } from "./alert-dispatcher.js";
import type { EngineSignal } from "./watch-router.js";

/**
 * The alert an engine signal raises, if any: a circuit opening or closing again, a call that found
 * every target failed, a key put in cooldown (rate limit, quota or rejected credentials).
 */
export function alertOfSignal(signal: EngineSignal): AlertEvent | undefined {
  switch (signal.type) {
    case "circuit":
      if (signal.to === "open") {
        return {
          kind: "circuit_open",
          subject: signal.target,
          text: `circuit for ${signal.target} (model ${signal.model}) is open`,
          fields: { model: signal.model, target: signal.target, from: signal.from },
        };
      }
      if (signal.to === "closed" && signal.from !== "closed") {
        return {
          kind: "circuit_closed",
          subject: signal.target,
          text: `circuit for ${signal.target} (model ${signal.model}) is closed again`,
          fields: { model: signal.model, target: signal.target, from: signal.from },
        };
      }
      return undefined;
    case "exhausted":
      return {
        kind: "all_targets_failed",
        subject: signal.model,
        text: `every target of model ${signal.model} failed (${signal.attempts} attempts)`,
        fields: { model: signal.model, endpoint: signal.endpoint, attempts: signal.attempts },
      };
    case "cooldown":
      return {
        kind: "key_cooldown",
        subject: signal.target,
        text: `${signal.target} (model ${signal.model}) is resting for ${Math.round(signal.durationMs)} ms after a ${signal.reason} failure`,
        fields: {
          model: signal.model,
          target: signal.target,
          reason: signal.reason,
          durationMs: Math.round(signal.durationMs),
        },
      };
    default:
      return undefined;
  }
}

/**
 * Budget thresholds crossed, each once per period and budget owner: `check` returns the alerts for
 * thresholds newly reached by `spentUsd` (e.g. 0.8 and 1.0 of the limit).
 */
export class BudgetThresholds {
  private readonly fired = new Map<string, number>();

  check(
    owner: string,
    periodStartMs: number,
    spentUsd: number,
    limitUsd: number,
    thresholds: readonly number[],
  ): AlertEvent[] {
    const key = `${owner}\u0000${periodStartMs}`;
    const already = this.fired.get(key) ?? 0;
    const reached = thresholds.filter(
      (threshold) => threshold > already && spentUsd >= threshold * limitUsd,
    );
    if (reached.length === 0) return [];
    this.fired.set(key, Math.max(...reached));
    // One alert per threshold; the subject names it, so rate limiting never hides the higher one.
    return reached.map((threshold) => ({
      kind: "budget_threshold",
      subject: `${owner}@${threshold}`,
      text: `${owner} has spent ${spentUsd.toFixed(2)} USD, over ${Math.round(threshold * 100)}% of its ${limitUsd} USD budget`,
      fields: { owner, spentUsd, limitUsd, threshold },
    }));
  }
}
