import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../testing/fake-clock.js";
import type { DropEvent } from "./trace-store.js";
import { TraceWriter, type TraceWriterOptions } from "./trace-writer.js";

/** A destination whose writes succeed, fail, or hang until released, as the test says. */
class Destination {
  readonly written: number[][] = [];
  readonly attempts: number[][] = [];
  failing = false;
  holding = false;
  private held: (() => void)[] = [];

  readonly write = async (batch: readonly number[]): Promise<void> => {
    this.attempts.push([...batch]);
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failing) throw new Error(`database down (batch of ${batch.length})`);
    this.written.push([...batch]);
  };

  release(): void {
    this.holding = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  get items(): number[] {
    return this.written.flat();
  }
}

function setUp(options: Partial<TraceWriterOptions<number>> = {}) {
  const clock = new FakeClock(0);
  const destination = new Destination();
  const drops: DropEvent[] = [];
  const errors: unknown[] = [];
  const writer = new TraceWriter<number>({
    write: destination.write,
    clock,
    maxBufferSize: 10,
    maxBatchSize: 4,
    flushIntervalMs: 1000,
    retryBaseDelayMs: 100,
    maxRetryDelayMs: 1000,
    onDrop: (event) => drops.push(event),
    onError: (error) => errors.push(error),
    ...options,
  });
  return { clock, destination, drops, errors, writer };
}

describe("TraceWriter", () => {
  it("writes after the interval, or at once when a batch is full, in order", async () => {
    const { clock, destination, writer } = setUp();
    writer.push(1);
    writer.push(2);
    await clock.advance(999);
    expect(destination.written).toEqual([]);
    await clock.advance(1);
    expect(destination.written).toEqual([[1, 2]]);
    for (let item = 3; item <= 9; item++) writer.push(item);
    await clock.advance(0);
    expect(destination.written).toEqual([
      [1, 2],
      [3, 4, 5, 6],
      [7, 8, 9],
    ]);
    expect(writer.pendingCount).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it("keeps a failed batch and retries it with doubling backoff, up to the cap", async () => {
    const recoveries: number[] = [];
    const { clock, destination, errors, writer } = setUp({
      onRecover: (failures) => recoveries.push(failures),
    });
    destination.failing = true;
    writer.push(1);
    await clock.advance(1000);
    expect(errors).toHaveLength(1);
    expect(writer.pendingCount).toBe(1);
    const retryTimes: number[] = [];
    for (let round = 0; round < 5; round++) {
      const before = destination.attempts.length;
      while (destination.attempts.length === before) await clock.advance(1);
      retryTimes.push(clock.now());
    }
    // Failed at 1000; retries after 100, 200, 400, 800, then 1000 (the cap).
    expect(retryTimes).toEqual([1100, 1300, 1700, 2500, 3500]);
    expect(writer.failureCount).toBe(6);
    expect(recoveries).toEqual([]);
    destination.failing = false;
    await clock.advance(1000);
    expect(destination.written).toEqual([[1]]);
    expect(writer.failureCount).toBe(0);
    expect(writer.writeFailureCount).toBe(6);
    expect(recoveries).toEqual([6]);
    expect(writer.pendingCount).toBe(0);
  });

  it("counts the batch being written against the bound, and drops past it", async () => {
    const { clock, destination, drops, writer } = setUp({ maxBufferSize: 5 });
    destination.holding = true;
    for (let item = 1; item <= 4; item++) writer.push(item);
    await clock.advance(0);
    expect(destination.attempts).toEqual([[1, 2, 3, 4]]);
    writer.push(5);
    writer.push(6);
    writer.push(7);
    expect(writer.pendingCount).toBe(5);
    expect(writer.droppedCount).toBe(2);
    expect(drops.map((drop) => [drop.reason, drop.droppedCount])).toEqual([
      ["buffer_full", 1],
      ["buffer_full", 2],
    ]);
    destination.release();
    await writer.flush();
    expect(destination.items).toEqual([1, 2, 3, 4, 5]);
  });

  it("never throws from push, even when a listener does", async () => {
    const { destination, writer } = setUp({
      maxBufferSize: 1,
      onDrop: () => {
        throw new Error("listener broke");
      },
      onError: () => {
        throw new Error("listener broke");
      },
    });
    writer.push(1);
    expect(() => writer.push(2)).not.toThrow();
    expect(writer.droppedCount).toBe(1);
    destination.failing = true;
    await expect(writer.flush()).rejects.toThrow("database down (batch of 1)");
  });

  it("tries again at once on flush(), backoff or not, and rejects while the database fails", async () => {
    const { destination, writer } = setUp();
    destination.failing = true;
    writer.push(1);
    await expect(writer.flush()).rejects.toThrow(/database down/);
    await expect(writer.flush()).rejects.toThrow(/database down/);
    expect(destination.attempts).toHaveLength(2);
    destination.failing = false;
    await writer.flush();
    expect(destination.written).toEqual([[1]]);
  });

  it("flushes on close, drops what cannot be written, and counts pushes after close", async () => {
    const healthy = setUp();
    healthy.writer.push(1);
    healthy.writer.push(2);
    await healthy.writer.close();
    expect(healthy.destination.written).toEqual([[1, 2]]);
    expect(healthy.clock.pendingTimers).toBe(0);
    healthy.writer.push(3);
    expect(healthy.drops).toEqual([{ reason: "closed", count: 1, droppedCount: 1 }]);

    const down = setUp();
    down.destination.failing = true;
    down.writer.push(1);
    down.writer.push(2);
    await down.writer.close();
    expect(down.writer.pendingCount).toBe(0);
    expect(down.drops).toEqual([{ reason: "closed", count: 2, droppedCount: 2 }]);
    expect(down.clock.pendingTimers).toBe(0);
  });

  it("rejects options out of range, naming them", () => {
    const write = async () => {};
    expect(() => new TraceWriter({ write, maxBatchSize: 0 })).toThrow(
      "maxBatchSize must be at least 1 (got 0)",
    );
    expect(() => new TraceWriter({ write, flushIntervalMs: -1 })).toThrow(/flushIntervalMs/);
  });

  it("never loses, duplicates or reorders an item it kept, whatever the database does", async () => {
    type Step =
      | { type: "push"; count: number }
      | { type: "advance"; ms: number }
      | { type: "fail"; failing: boolean }
      | { type: "flush" };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ type: fc.constant("push" as const), count: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ type: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 1500 }) }),
      fc.record({ type: fc.constant("fail" as const), failing: fc.boolean() }),
      fc.record({ type: fc.constant("flush" as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const { clock, destination, writer } = setUp();
        let pushed = 0;
        for (const next of steps) {
          if (next.type === "push") {
            for (let index = 0; index < next.count; index++) writer.push(++pushed);
          } else if (next.type === "advance") await clock.advance(next.ms);
          else if (next.type === "fail") destination.failing = next.failing;
          else await writer.flush().catch(() => undefined);
          expect(writer.pendingCount).toBeLessThanOrEqual(10);
        }
        destination.failing = false;
        await writer.close();
        await flushPromises();
        const items = destination.items;
        // Kept items arrive once each, in push order; the rest were counted as dropped.
        expect(items).toEqual([...items].sort((a, b) => a - b));
        expect(new Set(items).size).toBe(items.length);
        expect(items.length + writer.droppedCount).toBe(pushed);
      }),
      { numRuns: 200 },
    );
  });
});
