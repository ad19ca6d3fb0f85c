import { GatewayRequestError } from "../gateway/protocols/gateway-request-error.js";
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

/** 429 `budget_exceeded`: the client has spent its budget for the period. */
export class BudgetExceededError extends GatewayRequestError {
  readonly client: string;
  readonly period: BudgetPeriod;
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly resetsAt: number;
  override readonly retryAfterMs: number;

  constructor(details: BudgetExceededDetails) {
    const label = details.period === "day" ? "daily" : "monthly";
    super(
      `client '${details.client}' is over its ${label} budget: spent ${formatUsd(details.spentUsd)} of ${formatUsd(details.budgetUsd)} this ${details.period} (resets ${new Date(details.resetsAt).toISOString()})`,
      { status: 429, code: "budget_exceeded" },
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
