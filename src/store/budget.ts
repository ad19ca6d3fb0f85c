import { type Clock, systemClock } from "../engine/clock.js";
import { BudgetExceededError } from "./budget-exceeded-error.js";
import { type BudgetPeriod, periodEnd, periodStart } from "./budget-period.js";
import type { TraceStore } from "./trace-store.js";

/** A client's spending limit (the config's `clients[].budget`). */
export interface ClientBudget {
  usd: number;
  period: BudgetPeriod;
}

export interface BudgetGuardOptions {
  /** Where spend is read from. */
  store: Pick<TraceStore, "spend">;
  /** The budget of a client, if it has one; read on every check, so a reloaded config applies. */
  budgetOf: (client: string) => ClientBudget | undefined;
  /** Other budgets a client's spend also counts against (a runtime key's team: `team:<id>`). */
  alsoCharged?: (client: string) => string | undefined;
  clock?: Clock;
  /** How long a client's spend is used before it is read again (in the background). Default 5000. */
  cacheTtlMs?: number;
  /**
   * How long a client's first request of a period waits for its spend to be read; past that, it is
   * let through and the read goes on in the background. Default 250.
   */
  maxWaitMs?: number;
  /** Told when spend cannot be read (requests are let through meanwhile); must not throw. */
  onError?: (error: unknown) => void;
  /** Told a client's spend each time it is checked against its budget (budget alerts). */
  onSpend?: (spend: {
    client: string;
    periodStart: number;
    spentUsd: number;
    budgetUsd: number;
  }) => void;
}

export interface BudgetStatus {
  client: string;
  period: BudgetPeriod;
  budgetUsd: number;
  /** Spend as last read, plus what `addSpend` noted since. */
  spentUsd: number;
  periodStart: number;
  /** When spend was last read, epoch milliseconds. */
  readAt: number;
}

interface Entry {
  periodStart: number;
  /** Spend read from the store; undefined until the first read succeeds. */
  storedUsd: number | undefined;
  /** Costs noted since the last read started. */
  localUsd: number;
  readAt: number;
  /** No read before this time (after a failed one). */
  retryAt: number;
  reading: Promise<void> | undefined;
}

/**
 * Refuses requests from clients over their budget. Spend is read from the store at most once per
 * `cacheTtlMs` per client, in the background, so a check costs nothing but a map lookup; costs the
 * gateway notes with `addSpend` count at once. A store that is down lets requests through.
 *
 * Spend recorded but not yet flushed when a read starts is missed until the next read: the guard can
 * lag by about one flush interval of spending.
 */
export class BudgetGuard {
  private readonly clock: Clock;
  private readonly cacheTtlMs: number;
  private readonly maxWaitMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: BudgetGuardOptions) {
    this.clock = options.clock ?? systemClock;
    this.cacheTtlMs = options.cacheTtlMs ?? 5000;
    this.maxWaitMs = options.maxWaitMs ?? 250;
  }

  /** Resolves when the client may go on; rejects with a 429 `BudgetExceededError` when it may not. */
  async check(client: string | undefined): Promise<void> {
    if (client === undefined) return;
    const budget = this.options.budgetOf(client);
    if (!budget) return;
    const now = this.clock.now();
    const entry = this.entry(client, budget.period, now);
    if (entry.storedUsd === undefined) {
      if (now >= entry.retryAt) await this.waitBriefly(this.read(client, entry));
    } else if (now - entry.readAt >= this.cacheTtlMs && now >= entry.retryAt) {
      this.read(client, entry).catch(() => undefined);
    }
    if (entry.storedUsd === undefined) return;
    const spentUsd = entry.storedUsd + entry.localUsd;
    this.options.onSpend?.({
      client,
      periodStart: entry.periodStart,
      spentUsd,
      budgetUsd: budget.usd,
    });
    if (spentUsd < budget.usd) return;
    const resetsAt = periodEnd(budget.period, now);
    throw new BudgetExceededError({
      client,
      period: budget.period,
      budgetUsd: budget.usd,
      spentUsd,
      resetsAt,
      retryAfterMs: Math.max(0, resetsAt - now),
    });
  }

  /** Counts a served request's cost at once, before the store has it. */
  addSpend(client: string | undefined, usd: number | undefined): void {
    if (client === undefined || usd === undefined || !(usd > 0)) return;
    const also = this.options.alsoCharged?.(client);
    for (const name of also === undefined ? [client] : [client, also]) {
      const budget = this.options.budgetOf(name);
      if (budget) this.entry(name, budget.period, this.clock.now()).localUsd += usd;
    }
  }

  /** What the guard knows of a client's spend, without reading the store. */
  status(client: string): BudgetStatus | undefined {
    const budget = this.options.budgetOf(client);
    const entry = this.entries.get(client);
    if (!budget || !entry || entry.storedUsd === undefined) return undefined;
    return {
      client,
      period: budget.period,
      budgetUsd: budget.usd,
      spentUsd: entry.storedUsd + entry.localUsd,
      periodStart: entry.periodStart,
      readAt: entry.readAt,
    };
  }

  private entry(client: string, period: BudgetPeriod, now: number): Entry {
    const start = periodStart(period, now);
    let entry = this.entries.get(client);
    if (!entry || entry.periodStart !== start) {
      entry = {
        periodStart: start,
        storedUsd: undefined,
        localUsd: 0,
        readAt: Number.NEGATIVE_INFINITY,
        retryAt: Number.NEGATIVE_INFINITY,
        reading: undefined,
      };
      this.entries.set(client, entry);
    }
    return entry;
  }

  private read(client: string, entry: Entry): Promise<void> {
    if (entry.reading) return entry.reading;
    const noted = entry.localUsd;
    const startedAt = this.clock.now();
    entry.reading = this.options.store
      .spend(client, entry.periodStart)
      .then(
        (storedUsd) => {
          entry.storedUsd = storedUsd;
          entry.localUsd -= noted;
          entry.readAt = startedAt;
        },
        (error: unknown) => {
          entry.retryAt = this.clock.now() + this.cacheTtlMs;
          try {
            this.options.onError?.(error);
          } catch {
            // A listener's fault must not fail the request.
          }
        },
      )
      .finally(() => {
        entry.reading = undefined;
      });
    return entry.reading;
  }

  /** Waits for `work` up to `maxWaitMs`; it goes on in the background after that. */
  private async waitBriefly(work: Promise<void>): Promise<void> {
    let timer: unknown;
    const timeout = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, this.maxWaitMs);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }
}
