import type { Clock, TimerHandle } from "../engine/clock.js";

interface FakeTimer {
  id: number;
  at: number;
  callback: () => void;
}

/**
 * A clock for tests: time moves only when the test says so. `advance` fires due timers in time order
 * and lets promise callbacks run between them, so code under test behaves as it would in real time.
 */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private timers: FakeTimer[] = [];

  constructor(startMs = 1_000_000) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flushPromises();
      const due = this.earliestDue(target);
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = target;
    await flushPromises();
  }

  /** Fires timers one by one until none is left (or `maxTimers` have fired). */
  async runAll(maxTimers = 10_000): Promise<void> {
    for (let fired = 0; fired < maxTimers; fired++) {
      await flushPromises();
      const due = this.earliestDue(Number.POSITIVE_INFINITY);
      if (!due) return;
      await this.advance(due.at - this.time);
    }
  }

  private earliestDue(limit: number): FakeTimer | undefined {
    let earliest: FakeTimer | undefined;
    for (const timer of this.timers) {
      if (timer.at <= limit && (!earliest || timer.at < earliest.at)) earliest = timer;
    }
    return earliest;
  }
}

/** Lets every pending promise callback run (a few macrotask turns, no real waiting). */
export async function flushPromises(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}
