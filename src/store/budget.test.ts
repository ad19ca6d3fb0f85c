import { describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../testing/fake-clock.js";
import { BudgetGuard, type BudgetGuardOptions } from "./budget.js";
import { type BudgetExceededError, isBudgetExceededError } from "./budget-exceeded-error.js";

const NOW = Date.UTC(2026, 10, 15, 12, 0, 0);

/** Spend as the store would report it, with every read logged; reads can be held or failed. */
class SpendLedger {
  readonly reads: { client: string; since: number }[] = [];
  spent = new Map<string, number>();
  failing = false;
  holding = false;
  private held: (() => void)[] = [];

  readonly spend = async (client: string, since: number): Promise<number> => {
    this.reads.push({ client, since });
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failing) throw new Error("database down");
    return this.spent.get(client) ?? 0;
  };

  release(): void {
    this.holding = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

function setUp(options: Partial<BudgetGuardOptions> = {}) {
  const clock = new FakeClock(NOW);
  const ledger = new SpendLedger();
  const errors: unknown[] = [];
  const guard = new BudgetGuard({
    store: ledger,
    clock,
    budgetOf: (client) => (client === "free" ? undefined : { usd: 10, period: "month" }),
    onError: (error) => errors.push(error),
    ...options,
  });
  return { clock, ledger, errors, guard };
}

async function refused(promise: Promise<void>): Promise<BudgetExceededError | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return isBudgetExceededError(error) ? error : undefined;
}

describe("BudgetGuard", () => {
  it("lets clients under budget through and refuses those at or over it with a 429", async () => {
    const { ledger, guard } = setUp();
    ledger.spent.set("acme", 10);
    ledger.spent.set("zeta", 9.99);
    await expect(guard.check("zeta")).resolves.toBeUndefined();
    const error = await refused(guard.check("acme"));
    expect(error?.status).toBe(429);
    expect(error?.code).toBe("budget_exceeded");
    expect(error?.message).toBe(
      "client 'acme' is over its monthly budget: spent $10.00 of $10.00 this month (resets 2026-12-01T00:00:00.000Z)",
    );
    expect(error?.retryAfterMs).toBe(Date.UTC(2026, 11, 1) - NOW);
    expect(ledger.reads).toEqual([
      { client: "zeta", since: Date.UTC(2026, 10, 1) },
      { client: "acme", since: Date.UTC(2026, 10, 1) },
    ]);
  });

  it("ignores requests without a client or a budget", async () => {
    const { ledger, guard } = setUp();
    await guard.check(undefined);
    await guard.check("free");
    expect(ledger.reads).toEqual([]);
  });

  it("reads spend at most once per cacheTtlMs, refreshing in the background", async () => {
    const { clock, ledger, guard } = setUp({ cacheTtlMs: 5000 });
    ledger.spent.set("acme", 4);
    for (let index = 0; index < 20; index++) await guard.check("acme");
    expect(ledger.reads).toHaveLength(1);
    ledger.spent.set("acme", 12);
    await clock.advance(4999);
    await guard.check("acme");
    expect(ledger.reads).toHaveLength(1);
    await clock.advance(1);
    // The stale value still answers this check; the read it starts answers the next.
    await guard.check("acme");
    expect(ledger.reads).toHaveLength(2);
    await flushPromises();
    expect(await refused(guard.check("acme"))).toBeDefined();
  });

  it("counts costs noted with addSpend at once, until a read includes them", async () => {
    const { clock, ledger, guard } = setUp();
    ledger.spent.set("acme", 6);
    await guard.check("acme");
    guard.addSpend("acme", 3);
    await guard.check("acme");
    guard.addSpend("acme", 1.5);
    expect((await refused(guard.check("acme")))?.spentUsd).toBe(10.5);
    expect(guard.status("acme")?.spentUsd).toBe(10.5);
    // The store now has those costs; the next read replaces what was noted.
    ledger.spent.set("acme", 10.5);
    await clock.advance(5000);
    await refused(guard.check("acme"));
    await flushPromises();
    expect(guard.status("acme")?.spentUsd).toBe(10.5);
  });

  it("starts over when the period does", async () => {
    const { clock, ledger, guard } = setUp({
      budgetOf: () => ({ usd: 1, period: "day" }),
    });
    ledger.spent.set("acme", 2);
    expect(await refused(guard.check("acme"))).toBeDefined();
    ledger.spent.set("acme", 0);
    await clock.advance(12 * 3_600_000);
    await expect(guard.check("acme")).resolves.toBeUndefined();
    expect(ledger.reads.map((read) => read.since)).toEqual([
      Date.UTC(2026, 10, 15),
      Date.UTC(2026, 10, 16),
    ]);
  });

  it("lets requests through when spend cannot be read, and tries again after cacheTtlMs", async () => {
    const { clock, ledger, errors, guard } = setUp({ cacheTtlMs: 5000 });
    ledger.failing = true;
    ledger.spent.set("acme", 50);
    await expect(guard.check("acme")).resolves.toBeUndefined();
    await expect(guard.check("acme")).resolves.toBeUndefined();
    expect(ledger.reads).toHaveLength(1);
    expect(errors).toHaveLength(1);
    ledger.failing = false;
    await clock.advance(5000);
    expect(await refused(guard.check("acme"))).toBeDefined();
  });

  it("waits at most maxWaitMs for a slow first read, then lets the request through", async () => {
    const { clock, ledger, guard } = setUp({ maxWaitMs: 250 });
    ledger.holding = true;
    ledger.spent.set("acme", 50);
    let settled = false;
    const first = guard.check("acme").finally(() => {
      settled = true;
    });
    await clock.advance(249);
    expect(settled).toBe(false);
    await clock.advance(1);
    await expect(first).resolves.toBeUndefined();
    ledger.release();
    await flushPromises();
    expect(await refused(guard.check("acme"))).toBeDefined();
    expect(ledger.reads).toHaveLength(1);
  });
});
