/** How often a client's budget starts over, in UTC. */
export type BudgetPeriod = "day" | "month";

/** The start of the period that contains `nowMs`: midnight UTC, or the first of the month UTC. */
export function periodStart(period: BudgetPeriod, nowMs: number): number {
  const date = new Date(nowMs);
  return period === "day"
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** The start of the next period: when a budget spent in this one resets. */
export function periodEnd(period: BudgetPeriod, nowMs: number): number {
  const date = new Date(nowMs);
  return period === "day"
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
