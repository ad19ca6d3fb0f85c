import type { SwitchyardConfig } from "../config/index.js";
import type { Clock } from "../engine/clock.js";
import { AlertDispatcher, type AlertOutcome } from "../observe/alert-dispatcher.js";
import { alertOfSignal, BudgetThresholds } from "../observe/alert-events.js";
import type { EngineSignal } from "../observe/watch-router.js";

/** What the gateway tells its alerts: engine signals and clients' spend. */
export interface GatewayAlerts {
  onSignal(signal: EngineSignal): void;
  onSpend(spend: {
    client: string;
    periodStart: number;
    spentUsd: number;
    budgetUsd: number;
  }): void;
  close(): Promise<void>;
}

/**
 * The config's `alerts` at work: circuits opening and closing, exhausted models and cooldowns from
 * the engines' signals, budget thresholds from the budget guard. Delivery is off the request path
 * (`AlertDispatcher`); the webhooks are read from the current config, so a reload applies.
 */
export function createGatewayAlerts(options: {
  config: () => SwitchyardConfig;
  clock: Clock;
  onOutcome: (event: string, outcome: AlertOutcome) => void;
}): GatewayAlerts {
  const dispatcher = new AlertDispatcher({
    sinks: () => options.config().alerts,
    clock: options.clock,
    onOutcome: options.onOutcome,
  });
  const budgets = new BudgetThresholds();
  return {
    onSignal(signal) {
      if (options.config().alerts.length === 0) return;
      const event = alertOfSignal(signal);
      if (event) dispatcher.notify(event);
    },
    onSpend({ client, periodStart, spentUsd, budgetUsd }) {
      const sinks = options
        .config()
        .alerts.filter((sink) => sink.events.includes("budget_threshold"));
      if (sinks.length === 0) return;
      const thresholds = [...new Set(sinks.flatMap((sink) => sink.thresholds))].sort(
        (a, b) => a - b,
      );
      for (const event of budgets.check(client, periodStart, spentUsd, budgetUsd, thresholds)) {
        dispatcher.notify(event);
      }
    },
    close: () => dispatcher.close(),
  };
}
