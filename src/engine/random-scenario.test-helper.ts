import fc from "fast-check";
import { ERROR_KINDS, type ErrorKind } from "../errors/error-kind.js";
import { type ProviderFactoryOptions, STRATEGIES } from "./options.js";

// Random failure scenarios for property tests: a factory with random options, scripted providers
// with random outcomes, and a schedule of calls with random call options. `runScenario`
// (run-scenario.test-helper.ts) runs one on fake time.

export type Step =
  | { type: "result"; delayMs: number }
  | { type: "error"; kind: ErrorKind | "plain"; retryAfterMs: number | undefined; delayMs: number }
  | { type: "hang" };

export interface ProviderSpec {
  steps: Step[];
  fallback: Step;
  priority: number;
  maxConcurrency: number | undefined;
  timeoutMs: number | undefined;
  /** Keeps working after its signal fires (a hang then ends after 10 s instead of never). */
  ignoresSignal: boolean;
}

export interface CallSpec {
  atMs: number;
  deadlineMs: number | undefined;
  hedge: { delayMs: number; maxExtra: number } | undefined;
  race: number | undefined;
  signal: boolean;
  abortAfterMs: number | undefined;
}

export interface Scenario {
  options: ProviderFactoryOptions;
  seed: number;
  providers: ProviderSpec[];
  calls: CallSpec[];
}

// --- arbitraries -------------------------------------------------------------------------------

const ANY_DELAY = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2000 }));
/** A value present `presentOf4` times in 4 (undefined otherwise). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, presentOf4 = 2) =>
  fc.oneof(
    { weight: 4 - presentOf4, arbitrary: fc.constant(undefined) },
    { weight: presentOf4, arbitrary },
  );

export function stepArbitrary(
  kinds: readonly (ErrorKind | "plain")[],
  hangWeight: number,
  delays = { resultMs: ANY_DELAY, errorMs: ANY_DELAY },
): fc.Arbitrary<Step> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ type: fc.constant("result" as const), delayMs: delays.resultMs }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.constant("error" as const),
        kind: fc.constantFrom(...kinds),
        retryAfterMs: sometimes(fc.integer({ min: 0, max: 3000 })),
        delayMs: delays.errorMs,
      }),
    },
    { weight: hangWeight, arbitrary: fc.constant({ type: "hang" as const }) },
  );
}

export interface Knobs {
  providerCount: fc.Arbitrary<number>;
  callCount: fc.Arbitrary<number>;
  step: fc.Arbitrary<Step>;
  maxConcurrency: fc.Arbitrary<number | undefined>;
  /** Calls start at random times within this many ms. */
  callSpreadMs: number;
  budget: fc.Arbitrary<ProviderFactoryOptions["retryBudget"]>;
  /** How many calls in 4 hedge, and how many race (0 for none). */
  hedgeOrRaceOf4: number;
  recoveryTimeoutMs: fc.Arbitrary<number>;
}

const GENERAL: Knobs = {
  providerCount: fc.integer({ min: 1, max: 4 }),
  callCount: fc.integer({ min: 1, max: 12 }),
  step: stepArbitrary([...ERROR_KINDS, "plain"], 1),
  maxConcurrency: sometimes(fc.integer({ min: 1, max: 3 })),
  callSpreadMs: 5000,
  budget: fc.oneof(
    fc.constant(false as const),
    fc.record({
      ratio: fc.double({ min: 0, max: 0.5, noNaN: true }),
      windowMs: fc.integer({ min: 1000, max: 20_000 }),
      minPerSecond: fc.double({ min: 0, max: 3, noNaN: true }),
    }),
  ),
  hedgeOrRaceOf4: 1,
  recoveryTimeoutMs: fc.integer({ min: 50, max: 4000 }),
};

export function scenarioArbitrary(overrides: Partial<Knobs> = {}): fc.Arbitrary<Scenario> {
  const knobs = { ...GENERAL, ...overrides };
  const provider = fc.record({
    steps: fc.array(knobs.step, { maxLength: 12 }),
    fallback: knobs.step,
    priority: fc.integer({ min: 0, max: 2 }),
    maxConcurrency: knobs.maxConcurrency,
    timeoutMs: sometimes(fc.integer({ min: 50, max: 3000 })),
    ignoresSignal: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)),
  });
  const concurrent = <T>(arbitrary: fc.Arbitrary<T>) => sometimes(arbitrary, knobs.hedgeOrRaceOf4);
  const call = fc.record({
    atMs: fc.integer({ min: 0, max: knobs.callSpreadMs }),
    deadlineMs: sometimes(fc.integer({ min: 0, max: 6000 }), 1),
    hedge: concurrent(
      fc.record({
        delayMs: fc.integer({ min: 0, max: 1000 }),
        maxExtra: fc.integer({ min: 1, max: 3 }),
      }),
    ),
    race: concurrent(fc.integer({ min: 2, max: 3 })),
    signal: fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, fc.constant(true)),
    abortAfterMs: sometimes(fc.integer({ min: 0, max: 3000 })),
  });
  const options = fc.record({
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    halfOpenRequests: fc.integer({ min: 1, max: 3 }),
    recoveryTimeoutMs: knobs.recoveryTimeoutMs,
    maxRecoveryTimeoutMs: fc.integer({ min: 4000, max: 20_000 }),
    failureRateThreshold: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.double({ min: 0.2, max: 1, noNaN: true }) },
    ),
    minimumCalls: fc.integer({ min: 1, max: 5 }),
    slowCallMs: sometimes(fc.integer({ min: 100, max: 2000 }), 1),
    queueTimeoutMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2000 })),
    retry: fc.record({
      maxAttempts: fc.integer({ min: 1, max: 4 }),
      baseDelayMs: fc.integer({ min: 0, max: 500 }),
      maxDelayMs: fc.integer({ min: 0, max: 2000 }),
    }),
    retryBudget: knobs.budget,
    minAttemptMs: fc.integer({ min: 0, max: 50 }),
    maxRetryAfterWaitMs: fc.integer({ min: 0, max: 3000 }),
    rateLimitCooldownMs: fc.integer({ min: 0, max: 3000 }),
    quotaCooldownMs: fc.integer({ min: 0, max: 100_000 }),
    strategy: fc.constantFrom(...STRATEGIES),
  });
  const sized = <T>(count: fc.Arbitrary<number>, item: fc.Arbitrary<T>) =>
    count.chain((length) => fc.array(item, { minLength: length, maxLength: length }));
  return fc.record({
    options,
    seed: fc.integer(),
    providers: sized(knobs.providerCount, provider),
    calls: sized(knobs.callCount, call),
  });
}
