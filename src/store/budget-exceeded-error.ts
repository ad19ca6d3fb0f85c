import { SwitchyardError } from "../errors/switchyard-error.js";
import type { BudgetPeriod } from "./budget-period.js";
import { formatUsd } from "./cost.js";

export interface BudgetExceededDetails {
  client: string;
  period: BudgetPeriod;
  budgetUsd: number;
  spentUsd: number;
  /** When the period starts over, epoch milliseconds. */
  resetsAt: number;
  /** How long until then. */
  retryAfterMs: number;
}

/**
 * `budget_exceeded`: the client has spent its budget for the period. The gateway answers it with a
 * 429 and a `retry-after` of `retryAfterMs` (`describeError`).
 */
export class BudgetExceededError extends SwitchyardError {
  /** The HTTP status the gateway answers with. */
  readonly status = 429;
  readonly client: string;
  readonly period: BudgetPeriod;
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly resetsAt: number;
  readonly retryAfterMs: number;

  constructor(details: BudgetExceededDetails) {
    const label = details.period === "day" ? "daily" : "monthly";
    super(
      "budget_exceeded",
      `client '${details.client}' is over its ${label} budget: spent ${formatUsd(details.spentUsd)} of ${formatUsd(details.budgetUsd)} this ${details.period} (resets ${new Date(details.resetsAt).toISOString()})`,
    );
    this.client = details.client;
    this.period = details.period;
    this.budgetUsd = details.budgetUsd;
    this.spentUsd = details.spentUsd;
    this.resetsAt = details.resetsAt;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isBudgetExceededError(error: unknown): error is BudgetExceededError {
  return error instanceof BudgetExceededError;
}
