import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from "./circuit-breaker.js";
import { DEFAULT_TARGET_OPTIONS } from "./options.js";

function breaker(overrides: Partial<CircuitBreakerOptions> = {}) {
  const clock = new FakeClock();
  const changes: [CircuitState, CircuitState][] = [];
  const options = {
    ...DEFAULT_TARGET_OPTIONS,
    failureThreshold: 3,
    recoveryTimeoutMs: 1000,
    ...overrides,
  };
  const instance = new CircuitBreaker(options, clock, (from, to) => changes.push([from, to]));
  return { clock, instance, changes };
}

function fail(instance: CircuitBreaker, times: number) {
  for (let i = 0; i < times; i++) {
    const permit = instance.tryAcquire();
    if (permit) instance.failure(permit);
  }
}

describe("CircuitBreaker", () => {
  it("opens after failureThreshold consecutive failures; a success resets the count", () => {
    const { instance } = breaker();
    fail(instance, 2);
    const permit = instance.tryAcquire();
    if (permit) instance.success(permit, 5);
    fail(instance, 2);
    expect(instance.state).toBe("closed");
    fail(instance, 1);
    expect(instance.state).toBe("open");
    expect(instance.tryAcquire()).toBeUndefined();
  });

  it("goes half-open after recoveryTimeoutMs and closes when every trial succeeds", async () => {
    const { instance, clock, changes } = breaker({ halfOpenRequests: 2 });
    fail(instance, 3);
    expect(instance.availableInMs()).toBe(1000);
    await clock.advance(999);
    expect(instance.state).toBe("open");
    await clock.advance(1);
    expect(instance.state).toBe("half_open");
    const first = instance.tryAcquire();
    const second = instance.tryAcquire();
    expect(first?.trial && second?.trial).toBe(true);
    expect(instance.tryAcquire()).toBeUndefined();
    if (first) instance.success(first, 1);
    expect(instance.state).toBe("half_open");
    if (second) instance.success(second, 1);
    expect(instance.state).toBe("closed");
    expect(changes).toEqual([
      ["closed", "open"],
      ["open", "half_open"],
      ["half_open", "closed"],
    ]);
  });

  it("reopens on a failed trial for twice as long, capped", async () => {
    const { instance, clock } = breaker({ maxRecoveryTimeoutMs: 3000 });
    fail(instance, 3);
    for (const expected of [2000, 3000, 3000]) {
      await clock.advance(instance.availableInMs());
      const trial = instance.tryAcquire();
      expect(trial?.trial).toBe(true);
      if (trial) instance.failure(trial);
      expect(instance.state).toBe("open");
      expect(instance.availableInMs()).toBe(expected);
    }
  });

  it("frees a trial slot when its call is released, not counted", async () => {
    const { instance, clock } = breaker({ halfOpenRequests: 1 });
    fail(instance, 3);
    await clock.advance(1000);
    const trial = instance.tryAcquire();
    expect(instance.tryAcquire()).toBeUndefined();
    if (trial) instance.release(trial);
    expect(instance.tryAcquire()?.trial).toBe(true);
  });

  it("ignores outcomes of calls admitted before the last transition", async () => {
    const { instance, clock } = breaker({ halfOpenRequests: 1 });
    const stale = instance.tryAcquire();
    fail(instance, 3);
    await clock.advance(1000);
    const trial = instance.tryAcquire();
    if (trial) instance.success(trial, 1);
    expect(instance.state).toBe("closed");
    if (stale) instance.failure(stale);
    fail(instance, 2);
    expect(instance.state).toBe("closed");
  });

  it("counts slow successes as failures when slowCallMs is set", () => {
    const { instance } = breaker({ slowCallMs: 100, failureThreshold: 2 });
    for (let i = 0; i < 2; i++) {
      const permit = instance.tryAcquire();
      if (permit) instance.success(permit, 150);
    }
    expect(instance.state).toBe("open");
  });

  it("in rate mode opens on the failure rate once minimumCalls is reached", async () => {
    const { instance, clock } = breaker({
      failureRateThreshold: 0.5,
      minimumCalls: 4,
      failureRateWindowMs: 10_000,
    });
    const ok = () => {
      const permit = instance.tryAcquire();
      if (permit) instance.success(permit, 1);
    };
    ok();
    ok();
    fail(instance, 1);
    expect(instance.state).toBe("closed");
    fail(instance, 1);
    expect(instance.state).toBe("open");
    await clock.advance(1000);
    expect(instance.state).toBe("half_open");
  });

  it("never admits more than halfOpenRequests trials at once, whatever happens (property)", async () => {
    const operation = fc.oneof(
      fc.constant({ type: "acquire" as const }),
      fc.record({
        type: fc.constant("settle" as const),
        outcome: fc.constantFrom("success", "failure", "release"),
      }),
      fc.record({ type: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 3000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        async (ops, limit) => {
          const { instance, clock } = breaker({ halfOpenRequests: limit, failureThreshold: 2 });
          const held: { trial: boolean; generation: number }[] = [];
          for (const op of ops) {
            if (op.type === "acquire") {
              const state = instance.state;
              const permit = instance.tryAcquire();
              if (state === "open") expect(permit).toBeUndefined();
              if (permit) held.push(permit);
            } else if (op.type === "settle") {
              const permit = held.shift();
              if (!permit) continue;
              if (op.outcome === "success") instance.success(permit, 1);
              else if (op.outcome === "failure") instance.failure(permit);
              else instance.release(permit);
            } else {
              await clock.advance(op.ms);
            }
            if (instance.state === "half_open") {
              const generation = (instance as unknown as { generation: number }).generation;
              const trials = held.filter(
                (permit) => permit.trial && permit.generation === generation,
              );
              expect(trials.length).toBeLessThanOrEqual(limit);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
