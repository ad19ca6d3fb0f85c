import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../errors/attempt-record.js";
import { FactoryClosedError } from "../errors/factory-closed-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { FakeClock } from "../testing/fake-clock.js";
import { createScriptedProvider, type ScriptStep } from "../testing/scripted-provider.js";
import { policyFor } from "./error-policy.js";
import { ProviderFactory } from "./provider-factory.js";
import { type Scenario, scenarioArbitrary, stepArbitrary } from "./random-scenario.test-helper.js";
import { type Observation, runScenario, watchScenarios } from "./run-scenario.test-helper.js";

// Properties of the real factory under random failure sequences on fake time: random providers
// (successes, every error kind with and without retryAfterMs, delays, hangs, providers deaf to
// their signal) and random options (breaker, concurrency and queueing, retries and the retry
// budget, hedging, racing, deadlines, caller aborts). See random-scenario.test-helper.ts and
// run-scenario.test-helper.ts.

watchScenarios();

function explain(observation: Observation, problems: readonly string[]): string {
  return `${problems.slice(0, 5).join("\n")}\nscenario: ${JSON.stringify(observation.scenario)}`;
}

function expectNone(observation: Observation, problems: readonly string[]): void {
  expect(problems, explain(observation, problems)).toEqual([]);
}

/** Never called while open (by the circuit events, which must agree with getMetrics()). */
function expectNoCallsWhileOpen(observation: Observation): void {
  const disagreements = observation.circuitAtEnd
    .filter(({ byEvents, byMetrics }) => byEvents !== byMetrics)
    .map(
      ({ name, byEvents, byMetrics }) => `${name}: events say ${byEvents}, metrics ${byMetrics}`,
    );
  expectNone(observation, [...observation.openCalls, ...disagreements]);
}

function expectTrialsWithinLimit(observation: Observation): void {
  expectNone(observation, observation.trialOverflows);
}

/** Never past maxConcurrency (counted by the providers themselves), and nothing left in flight. */
function expectConcurrencyWithinLimit(observation: Observation): void {
  const problems: string[] = [];
  observation.scenario.providers.forEach((spec, index) => {
    const scripted = observation.scripted[index];
    const limit = spec.maxConcurrency ?? Number.POSITIVE_INFINITY;
    if (scripted && scripted.maxInFlight > limit) {
      problems.push(`p${index}: ${scripted.maxInFlight} in flight, maxConcurrency ${limit}`);
    }
    const inFlight = observation.metrics[`p${index}`]?.inFlight;
    if (scripted?.inFlight !== 0 || inFlight !== 0) {
      problems.push(`p${index}: ${inFlight} still in flight at the end`);
    }
  });
  expectNone(observation, problems);
}

/**
 * Over any stretch of 0.9 windowMs (the least the budget's ten buckets cover), retries granted stay
 * within ratio * (calls in the last windowMs) + floor; and every retry (an attempt > 1 on a
 * provider) was preceded by a grant of its own.
 */
function expectRetriesWithinBudget(observation: Observation): void {
  const budget = observation.scenario.options.retryBudget;
  const { grants, budgetCalls, retryStarts } = observation;
  if (budget === false || budget === undefined) {
    expect(grants).toEqual([]);
    return;
  }
  const windowMs = budget.windowMs ?? 10_000;
  const floor = ((budget.minPerSecond ?? 3) * windowMs) / 1000;
  const ratio = budget.ratio ?? 0.2;
  const problems: string[] = [];
  for (const at of grants) {
    const granted = grants.filter((time) => time <= at && time >= at - 0.9 * windowMs).length;
    const calls = budgetCalls.filter((time) => time <= at && time > at - windowMs).length;
    if (granted > floor + ratio * calls + 1e-9) {
      problems.push(`${granted} retries granted by ${at} ms, ${calls} calls (floor ${floor})`);
    }
  }
  retryStarts.forEach((at, index) => {
    if (grants.filter((time) => time <= at).length < index + 1) {
      problems.push(`retry ${index + 1} at ${at} ms had no grant`);
    }
  });
  expect(budgetCalls).toHaveLength(observation.scenario.calls.length);
  expectNone(observation, problems);
}

function attemptsByProvider(attempts: readonly AttemptRecord[]): string {
  const counts = new Map<string, number>();
  for (const record of attempts) {
    if (record.outcome !== "skipped") {
      counts.set(record.targetId, (counts.get(record.targetId) ?? 0) + 1);
    }
  }
  return describeCounts(counts);
}

function describeCounts(counts: ReadonlyMap<string, number> | undefined): string {
  return [...(counts ?? new Map<string, number>()).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name} x${count}`)
    .join(", ");
}

/**
 * Each call settles exactly once: with a result its report accounts for (every provider called
 * for it, as many times as it was called), or with an error the call could end in; an
 * AllProvidersUnavailableError lists every attempt made before it. Nobody is called for a call that
 * has settled, close() drains, and no rejection goes unhandled.
 */
function expectEveryCallSettledOnce(observation: Observation): void {
  const problems = [...observation.lateCalls];
  if (!observation.closed) problems.push("close() never resolved");
  for (const reason of observation.unhandled) problems.push(`unhandled rejection: ${reason}`);
  observation.scenario.calls.forEach((_, index) => {
    const settled = observation.settled[index];
    const count = observation.settleCounts[index];
    if (!settled || count !== 1) {
      problems.push(`call ${index} settled ${count} times`);
    } else if (settled.ok) {
      const { result, report } = settled.outcome;
      const served = report.attempts.some((a) => a.outcome === "success" && a.targetId === result);
      if (report.targetId !== result || !served) {
        problems.push(`call ${index} returned ${result}, its report says ${report.targetId}`);
      }
      const reported = attemptsByProvider(report.attempts);
      const called = describeCounts(observation.callsTotal[index]);
      if (reported !== called) problems.push(`call ${index} reports ${reported}; saw ${called}`);
    } else if (settled.error instanceof AllProvidersUnavailableError) {
      const listed = attemptsByProvider(settled.attemptsAtSettle ?? []);
      const called = describeCounts(observation.callsBeforeSettle[index]);
      if (listed !== called) problems.push(`call ${index} error lists ${listed}; saw ${called}`);
    } else {
      const error = settled.error;
      const expected =
        error === observation.abortReasons[index] ||
        error instanceof FactoryClosedError ||
        (error instanceof ProviderError && !policyFor(error.kind).failover);
      if (!expected) problems.push(`call ${index} rejected with ${String(error)}`);
    }
  });
  expectNone(observation, problems);
}

const holds = (arbitrary: fc.Arbitrary<Scenario>, check: (observation: Observation) => void) =>
  fc.asyncProperty(arbitrary, async (scenario) => check(await runScenario(scenario)));

// Room for fast-check to shrink a counterexample when a property fails.
const SHRINK_TIMEOUT_MS = 120_000;

// Quick failures and slow successes: circuits open and half-open often, and half-open trials stay
// in flight while more calls arrive.
const breakerHeavy = scenarioArbitrary({
  step: stepArbitrary(["transient", "timeout", "unknown", "rate_limited", "auth"], 1, {
    resultMs: fc.integer({ min: 100, max: 2000 }),
    errorMs: fc.integer({ min: 0, max: 50 }),
  }),
  callCount: fc.integer({ min: 6, max: 20 }),
  callSpreadMs: 3000,
  recoveryTimeoutMs: fc.integer({ min: 50, max: 500 }),
});

// Narrow providers, calls close together, many of them hedged or raced: lanes queue for slots.
const crowded = scenarioArbitrary({
  maxConcurrency: fc.integer({ min: 1, max: 2 }),
  callCount: fc.integer({ min: 4, max: 16 }),
  callSpreadMs: 1500,
  hedgeOrRaceOf4: 2,
});

// Retryable failures only, no hedging or racing, a small budget window.
const retrying = scenarioArbitrary({
  step: stepArbitrary(["transient", "timeout", "unknown"], 0),
  callCount: fc.integer({ min: 4, max: 20 }),
  hedgeOrRaceOf4: 0,
  budget: fc.record({
    ratio: fc.double({ min: 0, max: 0.5, noNaN: true }),
    windowMs: fc.integer({ min: 500, max: 5000 }),
    minPerSecond: fc.double({ min: 0, max: 2, noNaN: true }),
  }),
});

describe("ProviderFactory under random failure sequences (property)", {
  timeout: SHRINK_TIMEOUT_MS,
}, () => {
  it("never calls a provider whose circuit is open", async () => {
    await fc.assert(holds(breakerHeavy, expectNoCallsWhileOpen), { numRuns: 200 });
  });

  it("never has more half-open trials in flight than halfOpenRequests", async () => {
    await fc.assert(holds(breakerHeavy, expectTrialsWithinLimit), { numRuns: 200 });
  });

  it("never has more calls in flight on a provider than its maxConcurrency", async () => {
    await fc.assert(holds(crowded, expectConcurrencyWithinLimit), { numRuns: 200 });
  });

  it("keeps retries within the retry budget", async () => {
    await fc.assert(holds(retrying, expectRetriesWithinBudget), { numRuns: 150 });
  });

  it("settles every call once, reports every attempt, leaves nothing unhandled", async () => {
    const mixed = fc.oneof(scenarioArbitrary(), crowded);
    await fc.assert(holds(mixed, expectEveryCallSettledOnce), { numRuns: 300 });
  });

  it("holds every invariant at once on fully random scenarios", async () => {
    const everything = (observation: Observation) => {
      expectNoCallsWhileOpen(observation);
      expectTrialsWithinLimit(observation);
      expectConcurrencyWithinLimit(observation);
      expectRetriesWithinBudget(observation);
      expectEveryCallSettledOnce(observation);
    };
    await fc.assert(holds(scenarioArbitrary(), everything), { numRuns: 200 });
  });
});

// Minimal cases the properties found, kept as plain tests so they name the bug when they fail.
describe("ProviderFactory: admission after waiting for a concurrency slot", () => {
  const setupNarrow = () => {
    const clock = new FakeClock();
    const factory = new ProviderFactory<string, string, string>({
      clock,
      retryBudget: false,
      retry: { maxAttempts: 1 },
      failureThreshold: 1,
    });
    const provider = (steps: ScriptStep<string, string>[], fallback: ScriptStep<string, string>) =>
      createScriptedProvider<string, string, string>(clock, fallback, steps);
    return { clock, factory, provider };
  };

  it("does not call a provider whose circuit opened while the call waited for its slot", async () => {
    const { clock, factory, provider } = setupNarrow();
    const failure = new ProviderError("down", { kind: "transient" });
    const narrow = provider([{ error: failure, delayMs: 100 }], { result: "narrow" });
    const backup = provider([], { result: "backup" });
    factory.register("narrow", narrow, { priority: 1, maxConcurrency: 1, queueTimeoutMs: 1000 });
    factory.register("backup", backup, { priority: 2 });
    const first = factory.generate("first");
    const second = factory.generateWithReport("second"); // queued behind `first` for narrow's slot
    await clock.advance(100); // `first` fails: narrow's circuit opens, its slot frees up
    expect(await first).toBe("backup");
    expect(factory.getMetrics().narrow?.circuitState).toBe("open");
    const { result, report } = await second;
    expect(narrow.calls).toBe(1);
    expect(result).toBe("backup");
    expect(report.attempts[0]).toMatchObject({ targetId: "narrow", reason: "circuit_open" });
  });

  it("does not call a provider for a call that settled while one of its lanes waited for a slot", async () => {
    const { clock, factory, provider } = setupNarrow();
    const narrow = provider([], { result: "narrow", delayMs: 1000 });
    const quick = provider([], { result: "quick", delayMs: 10 });
    factory.register("narrow", narrow, { priority: 1, maxConcurrency: 1, queueTimeoutMs: 5000 });
    factory.register("quick", quick, { priority: 2 });
    const holder = factory.generate("holder", { targetIds: ["narrow"] });
    // Races narrow (queued behind `holder`) against quick; quick wins after 10 ms.
    const raced = factory.generate("raced", { race: 2 });
    await clock.advance(10);
    expect(await raced).toBe("quick");
    await clock.advance(990); // `holder` ends and frees narrow's slot
    expect(await holder).toBe("narrow");
    await clock.advance(1000);
    expect(narrow.requests).toEqual(["holder"]);
  });

  it("does not call a provider for a call another of whose lanes won while this one waited for a slot", async () => {
    // Seed -2122488138, shrunk: one event at 100 ms both decides `x` and frees the slot its other
    // lane queues for, before `x` settles; that lane started a call nobody ever aborted, which
    // outlived close({ abortAfterMs: 0 }).
    const { clock, factory, provider } = setupNarrow();
    const refused = new ProviderError("refused", { kind: "invalid_request" });
    const a = provider([{ error: refused, delayMs: 100 }], { result: "a" });
    const b = provider([{ hang: true }], { result: "b" });
    const narrow = provider([], { hang: true });
    const oneAtATime = { maxConcurrency: 1, queueTimeoutMs: 1000 };
    factory.register("a", a, oneAtATime).register("b", b, oneAtATime);
    factory.register("narrow", narrow, oneAtATime);
    const stopper = factory.generate("stopper", { race: 2, targetIds: ["a", "b"] });
    const y = factory.generate("y", { race: 2, targetIds: ["a", "narrow"] }); // waits for a
    const x = factory.generate("x", { race: 2, targetIds: ["b", "narrow"] }); // waits for b, narrow
    // At 100 ms `stopper` fails on a and aborts its lane on b: y wins on a and aborts its lane on
    // narrow, x wins on b, and narrow's slot frees up while x is decided but not yet settled.
    await clock.advance(100);
    await expect(stopper).rejects.toBe(refused);
    expect(await y).toBe("a");
    expect(await x).toBe("b");
    const closed = factory.close({ abortAfterMs: 0 });
    await clock.advance(0);
    await closed;
    expect(narrow.requests).toEqual(["y"]);
    expect(narrow.inFlight).toBe(0);
    expect(factory.getMetrics().narrow?.inFlight).toBe(0);
  });
});

describe("ProviderFactory: half-open trials across circuit periods", () => {
  it("a trial from an earlier half-open period, given back late, frees no slot of the current one", async () => {
    const clock = new FakeClock(0);
    const factory = new ProviderFactory<string, string, string>({
      clock,
      retryBudget: false,
      retry: { maxAttempts: 1 },
      failureThreshold: 1,
      halfOpenRequests: 2,
      recoveryTimeoutMs: 100,
    });
    const fail = (kind: "transient" | "not_found", delayMs: number) => ({
      error: new ProviderError(`${kind} failure`, { kind }),
      delayMs,
    });
    const p = createScriptedProvider<string, string, string>(clock, { result: "late" }, [
      fail("transient", 0), // opens the circuit at 0 ms
      fail("not_found", 1000), // trial A (period 1): ends at 1100 ms, its permit given back
      fail("transient", 10), // trial B (period 1): fails at 110 ms, the circuit opens for 200 ms
      { result: "C", delayMs: 2000 }, // trials C and D (period 2, from 310 ms)
      { result: "D", delayMs: 2000 },
    ]);
    factory.register("p", p);
    const calls = [factory.generate("first").catch((error: unknown) => error)];
    await clock.advance(100);
    calls.push(factory.generate("A").catch((error: unknown) => error));
    calls.push(factory.generate("B").catch((error: unknown) => error));
    await clock.advance(210);
    calls.push(factory.generate("C"), factory.generate("D"));
    await clock.advance(890); // 1200 ms: A has been given back; C and D are still in flight
    const extra = await factory.generate("E").catch((error: unknown) => error);
    expect(p.requests).toEqual(["first", "A", "B", "C", "D"]);
    expect((extra as AllProvidersUnavailableError).attempts[0]).toMatchObject({
      outcome: "skipped",
      reason: "circuit_open",
    });
    await clock.advance(2000);
    await Promise.all(calls);
  });
});

describe("ProviderFactory: close({ abortAfterMs }) ends what still runs", () => {
  const setupDeaf = () => {
    const clock = new FakeClock(0);
    const factory = new ProviderFactory<string, string, string>({
      clock,
      retryBudget: false,
      retry: { maxAttempts: 1 },
    });
    // Ignores its signal: answers after 60 s whatever happens.
    const deaf = {
      generate: () =>
        new Promise<string>((resolve) => clock.setTimeout(() => resolve("late"), 60_000)),
    };
    return { clock, factory, deaf };
  };
  const settledAt = (clock: FakeClock, promise: Promise<unknown>) => {
    const at = { ms: -1 };
    const mark = () => {
      at.ms = clock.now();
    };
    void promise.then(mark, mark);
    return at;
  };

  it("rejects a call whose provider ignores its signal once abortAfterMs is up", async () => {
    const { clock, factory, deaf } = setupDeaf();
    factory.register("deaf", deaf);
    // A deadline makes the attempt raced; without any time limit, only the signal can be fired
    // (documented), and close() still resolves on time.
    const call = settledAt(clock, factory.generate("q", { deadlineMs: 60_000 }));
    const unlimited = factory.generate("q");
    const closed = settledAt(clock, factory.close({ abortAfterMs: 100 }));
    await clock.advance(200);
    expect(call.ms).toBe(100);
    expect(closed.ms).toBe(100);
    void unlimited.catch(() => undefined);
  });

  it("rejects a call queued for a provider's slot once abortAfterMs is up", async () => {
    const { clock, factory, deaf } = setupDeaf();
    factory.register("deaf", deaf, { maxConcurrency: 1, queueTimeoutMs: 30_000 });
    const holder = factory.generate("holder", { signal: new AbortController().signal });
    const queued = settledAt(clock, factory.generate("queued"));
    void factory.close({ abortAfterMs: 100 });
    await clock.advance(200);
    expect(queued.ms).toBe(100);
    await expect(holder).rejects.toBeInstanceOf(FactoryClosedError);
  });
});
