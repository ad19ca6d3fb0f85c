import { afterAll, beforeAll, vi } from "vitest";
import { AllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../errors/attempt-record.js";
import { ProviderError } from "../errors/provider-error.js";
import { FakeClock, flushPromises } from "../testing/fake-clock.js";
import {
  createScriptedProvider,
  type ScriptedProvider,
  type ScriptStep,
} from "../testing/scripted-provider.js";
import type { CircuitState } from "./circuit-breaker.js";
import type { Provider, ProviderContext } from "./provider.js";
import { type CallOutcome, ProviderFactory } from "./provider-factory.js";
import type { CallSpec, Scenario, Step } from "./random-scenario.test-helper.js";
import { RetryBudget } from "./retry-budget.js";

// Runs a random scenario (random-scenario.test-helper.ts) to the end on fake time, watching what
// the providers see as it goes.

export type Settled =
  | { ok: true; outcome: CallOutcome<string> }
  /** `attemptsAtSettle`: an AllProvidersUnavailableError's attempts as they were when it was thrown. */
  | { ok: false; error: unknown; attemptsAtSettle: readonly AttemptRecord[] | undefined };

/** What happened in one scenario. Providers are named p0, p1, ...; call i sends "call-i". */
export interface Observation {
  scenario: Scenario;
  /** Providers called while their circuit was open (by the circuit events). */
  openCalls: string[];
  /** More half-open trials in flight than halfOpenRequests, within one half-open period. */
  trialOverflows: string[];
  /** Providers called for a call that had already settled. */
  lateCalls: string[];
  /** Each provider's circuit by the events, next to getMetrics() at the end. */
  circuitAtEnd: { name: string; byEvents: CircuitState; byMetrics: CircuitState }[];
  settled: (Settled | undefined)[];
  settleCounts: number[];
  /** Per call: provider name -> calls it received for that call before it settled / in all. */
  callsBeforeSettle: Map<string, number>[];
  callsTotal: Map<string, number>[];
  scripted: ScriptedProvider<string, string, string>[];
  abortReasons: Error[];
  /** Clock times of retry-budget grants, of calls counted by the budget, of attempts > 1. */
  grants: number[];
  budgetCalls: number[];
  retryStarts: number[];
  closed: boolean;
  unhandled: unknown[];
  metrics: ReturnType<ProviderFactory<string, string, string>["getMetrics"]>;
}

// --- watching the retry budget and unhandled rejections ------------------------------------------

// Scenarios run one at a time; the spies log against the clock of the one running now.
let currentClock: FakeClock | undefined;
let grantLog: number[] = [];
let budgetCallLog: number[] = [];
const unhandledLog: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandledLog.push(reason);
};

/**
 * Registers hooks for the calling test file: an `unhandledRejection` listener, and spies on the
 * retry budget that log when it grants a retry and when it counts a call (the budget itself runs).
 */
export function watchScenarios(): void {
  beforeAll(() => {
    process.on("unhandledRejection", onUnhandled);
    const tryRetry = RetryBudget.prototype.tryRetry;
    const recordCall = RetryBudget.prototype.recordCall;
    type TryRetryArgs = Parameters<RetryBudget["tryRetry"]>;
    type RecordCallArgs = Parameters<RetryBudget["recordCall"]>;
    vi.spyOn(RetryBudget.prototype, "tryRetry").mockImplementation(function (
      this: RetryBudget,
      ...args: TryRetryArgs
    ) {
      const granted = tryRetry.apply(this, args);
      if (granted) grantLog.push(currentClock?.now() ?? Number.NaN);
      return granted;
    });
    vi.spyOn(RetryBudget.prototype, "recordCall").mockImplementation(function (
      this: RetryBudget,
      ...args: RecordCallArgs
    ) {
      budgetCallLog.push(currentClock?.now() ?? Number.NaN);
      recordCall.apply(this, args);
    });
  });
  afterAll(() => {
    process.off("unhandledRejection", onUnhandled);
    vi.restoreAllMocks();
  });
}

// --- running a scenario --------------------------------------------------------------------------

/** A seeded PRNG (mulberry32), so backoff jitter and ordering vary but every run replays exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function toScriptStep(step: Step, name: string, deaf: boolean): ScriptStep<string, string> {
  if (step.type === "hang") return deaf ? { result: name, delayMs: 10_000 } : { hang: true };
  if (step.type === "result") return { result: name, delayMs: step.delayMs };
  const { kind, retryAfterMs, delayMs } = step;
  const error =
    kind === "plain"
      ? new Error(`plain failure of ${name}`)
      : new ProviderError(`${kind} failure of ${name}`, { kind, provider: name, retryAfterMs });
  return { error, delayMs };
}

/**
 * Runs a scenario to the end: starts each call at its time, fires every timer, then closes the
 * factory (aborting what still hangs) and fires the rest. Watches each provider call as it starts.
 */
export async function runScenario(scenario: Scenario): Promise<Observation> {
  const clock = new FakeClock(0);
  currentClock = clock;
  grantLog = [];
  budgetCallLog = [];
  unhandledLog.length = 0;
  const factory = new ProviderFactory<string, string, string>({
    ...scenario.options,
    clock,
    random: seededRandom(scenario.seed),
  });
  const observation: Observation = {
    scenario,
    openCalls: [],
    trialOverflows: [],
    lateCalls: [],
    circuitAtEnd: [],
    settled: scenario.calls.map(() => undefined),
    settleCounts: scenario.calls.map(() => 0),
    callsBeforeSettle: scenario.calls.map(() => new Map()),
    callsTotal: scenario.calls.map(() => new Map()),
    scripted: [],
    abortReasons: scenario.calls.map((_, index) => new Error(`caller ${index} gave up`)),
    grants: grantLog,
    budgetCalls: budgetCallLog,
    retryStarts: [],
    closed: false,
    unhandled: unhandledLog,
    metrics: {},
  };
  const halfOpenRequests = scenario.options.halfOpenRequests ?? 2;
  const circuit = watchCircuits(factory, clock, observation, halfOpenRequests);
  factory.on("attempt", ({ attempt }) => {
    if (attempt > 1) observation.retryStarts.push(clock.now());
  });

  scenario.providers.forEach((spec, index) => {
    const name = `p${index}`;
    const deaf = spec.ignoresSignal;
    const scripted = createScriptedProvider<string, string, string>(
      clock,
      toScriptStep(spec.fallback, name, deaf),
      spec.steps.map((step) => toScriptStep(step, name, deaf)),
    );
    observation.scripted.push(scripted);
    const watched = circuit.watch(name, scripted, deaf);
    const { priority, maxConcurrency, timeoutMs } = spec;
    factory.register(name, watched, { priority, maxConcurrency, timeoutMs });
  });

  const order = scenario.calls.map((_, index) => index);
  order.sort((a, b) => (scenario.calls[a]?.atMs ?? 0) - (scenario.calls[b]?.atMs ?? 0));
  for (const index of order) {
    const spec = scenario.calls[index];
    if (!spec) continue;
    await clock.advance(spec.atMs - clock.now());
    startCall(factory, clock, observation, index, spec);
  }
  await clock.runAll();
  void factory.close({ abortAfterMs: 0 }).then(() => {
    observation.closed = true;
  });
  await clock.runAll();
  await flushPromises();
  observation.metrics = factory.getMetrics();
  for (const [name, metrics] of Object.entries(observation.metrics)) {
    const byEvents = circuit.state(name);
    observation.circuitAtEnd.push({ name, byEvents, byMetrics: metrics.circuitState });
  }
  currentClock = undefined;
  return observation;
}

function startCall(
  factory: ProviderFactory<string, string, string>,
  clock: FakeClock,
  observation: Observation,
  index: number,
  spec: CallSpec,
): void {
  const controller = spec.signal ? new AbortController() : undefined;
  if (controller && spec.abortAfterMs !== undefined) {
    const reason = observation.abortReasons[index];
    clock.setTimeout(() => controller.abort(reason), spec.abortAfterMs);
  }
  const settle = (result: Settled) => {
    observation.settleCounts[index] = (observation.settleCounts[index] ?? 0) + 1;
    observation.settled[index] = result;
  };
  const { deadlineMs, hedge, race } = spec;
  void factory
    .generateWithReport(`call-${index}`, { deadlineMs, hedge, race, signal: controller?.signal })
    .then(
      (outcome) => settle({ ok: true, outcome }),
      (error: unknown) => {
        const attempts =
          error instanceof AllProvidersUnavailableError ? [...error.attempts] : undefined;
        settle({ ok: false, error, attemptsAtSettle: attempts });
      },
    );
}

/**
 * Follows each provider's circuit through the factory's `circuit` events and wraps providers to
 * check, at each call, that the circuit is not open and that half-open trials stay within the limit.
 * A half-open period starts at each transition to half-open; a trial counts as in flight from its
 * call until its signal fires (the engine gives the permit back then) or its work settles.
 */
function watchCircuits(
  factory: ProviderFactory<string, string, string>,
  clock: FakeClock,
  observation: Observation,
  halfOpenRequests: number,
) {
  const circuit = new Map<string, CircuitState>();
  const period = new Map<string, number>();
  const trialsInFlight = new Map<string, number>();
  factory.on("circuit", ({ targetId, to }) => {
    circuit.set(targetId, to);
    if (to === "half_open") period.set(targetId, (period.get(targetId) ?? 0) + 1);
  });
  const bump = (map: Map<string, number>, key: string, by: number) => {
    const value = (map.get(key) ?? 0) + by;
    map.set(key, value);
    return value;
  };

  const watch = (
    name: string,
    scripted: ScriptedProvider<string, string, string>,
    deaf: boolean,
  ): Provider<string, string, string> => ({
    generate(request: string, context: ProviderContext) {
      const index = Number(request.slice("call-".length));
      const at = `at ${clock.now()} ms`;
      const before = observation.settled[index] === undefined;
      if (!before)
        observation.lateCalls.push(`${name} called for call ${index} after it settled, ${at}`);
      bump(observation.callsTotal[index] ?? new Map(), name, 1);
      if (before) bump(observation.callsBeforeSettle[index] ?? new Map(), name, 1);
      const state = circuit.get(name) ?? "closed";
      if (state === "open") observation.openCalls.push(`${name} called while open, ${at}`);
      const trial = state === "half_open" ? `${name}#${period.get(name)}` : undefined;
      if (trial !== undefined) {
        const inFlight = bump(trialsInFlight, trial, 1);
        if (inFlight > halfOpenRequests) {
          observation.trialOverflows.push(
            `${name}: ${inFlight} half-open trials in flight (halfOpenRequests ${halfOpenRequests}), ${at}`,
          );
        }
      }
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        if (trial !== undefined) bump(trialsInFlight, trial, -1);
      };
      context.signal.addEventListener("abort", finish, { once: true });
      const deafContext = { ...pick(context), signal: new AbortController().signal };
      const work = scripted.generate(request, deaf ? deafContext : context);
      void work.then(finish, finish);
      return work;
    },
  });
  return { watch, state: (name: string) => circuit.get(name) ?? "closed" };
}

function pick(context: ProviderContext): { targetId: string; attempt: number } {
  return { targetId: context.targetId, attempt: context.attempt };
}
