import type { Clock, TimerHandle } from "../engine/clock.js";

interface VirtualTimer {
  at: number;
  seq: number;
  callback: () => void;
  background: boolean;
  /** Fired or cleared: skipped when it reaches the top of the heap. */
  done: boolean;
}

export interface RunOptions {
  /** Stop before the first timer due after this time (the clock is left at this time). */
  untilMs?: number;
}

/**
 * Virtual time for simulations: a `Clock` whose timers live in a binary heap and fire in time order
 * (ties in the order they were set) when `run` is called, each in its own macrotask, so every promise
 * callback a timer sets off has settled before the next timer fires, as it would in real time. Time
 * jumps straight to the next timer, so an hour of traffic takes as long as its callbacks do.
 *
 * Unlike `FakeClock` it does not spin several event-loop turns per step: one turn per fired timer,
 * and O(log n) to set, fire or clear one. Background timers (health checks) fire in order with the
 * rest but do not keep `run` going on their own.
 */
export class VirtualScheduler implements Clock {
  private time: number;
  private readonly heap: VirtualTimer[] = [];
  private seq = 0;
  private foreground = 0;
  /** Timers fired so far. */
  firedTimers = 0;

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number, background = false): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const timer: VirtualTimer = {
      at: this.time + delay,
      seq: this.seq++,
      callback,
      background,
      done: false,
    };
    if (!background) this.foreground += 1;
    this.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    if (!isVirtualTimer(handle) || handle.done) return;
    handle.done = true;
    if (!handle.background) this.foreground -= 1;
  }

  /** Timers that would keep `run` going. */
  get pendingTimers(): number {
    return this.foreground;
  }

  /**
   * Fires timers in time order until no foreground timer is left (or the next one is due after
   * `untilMs`). Resolves after the promise callbacks of the last timer have run.
   */
  run(options: RunOptions = {}): Promise<void> {
    const untilMs = options.untilMs ?? Number.POSITIVE_INFINITY;
    return new Promise<void>((resolve, reject) => {
      const step = (): void => {
        try {
          const timer = this.foreground > 0 ? this.peekLive() : undefined;
          if (!timer || timer.at > untilMs) {
            if (untilMs !== Number.POSITIVE_INFINITY && untilMs > this.time) this.time = untilMs;
            resolve();
            return;
          }
          this.pop();
          timer.done = true;
          if (!timer.background) this.foreground -= 1;
          if (timer.at > this.time) this.time = timer.at;
          this.firedTimers += 1;
          timer.callback();
        } catch (error) {
          reject(error);
          return;
        }
        setImmediate(step);
      };
      setImmediate(step);
    });
  }

  /** The earliest timer still pending, dropping cleared ones from the top of the heap. */
  private peekLive(): VirtualTimer | undefined {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || !top.done) return top;
      this.pop();
    }
  }

  private push(timer: VirtualTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let index = heap.length - 1;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as VirtualTimer;
      if (!before(timer, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = timer;
  }

  private pop(): VirtualTimer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const leftTimer = heap[left] as VirtualTimer;
      const rightTimer = right < length ? (heap[right] as VirtualTimer) : undefined;
      const child = rightTimer && before(rightTimer, leftTimer) ? right : left;
      const childTimer = heap[child] as VirtualTimer;
      if (!before(childTimer, last)) break;
      heap[index] = childTimer;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function isVirtualTimer(handle: TimerHandle): handle is VirtualTimer {
  return typeof handle === "object" && handle !== null && "seq" in handle && "done" in handle;
}
