import type { Clock, TimerHandle } from "./clock.js";

interface Waiter {
  resolve: (acquired: boolean) => void;
  timer: TimerHandle | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * In-flight slots for one provider. `tryAcquire` never waits; `acquire` waits in FIFO order up to a
 * timeout. Every acquired slot must be given back with `release` exactly once.
 */
export class ConcurrencyLimiter {
  inFlight = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    public maxConcurrency: number,
    private readonly clock: Clock,
  ) {}

  /** Changes the limit; a higher one admits waiting callers at once. */
  setLimit(maxConcurrency: number): void {
    this.maxConcurrency = maxConcurrency;
    while (this.waiters.length > 0 && this.inFlight < this.maxConcurrency) {
      const waiter = this.waiters.shift();
      if (!waiter) break;
      this.inFlight += 1;
      this.settle(waiter, true);
    }
  }

  get full(): boolean {
    return this.inFlight >= this.maxConcurrency;
  }

  tryAcquire(): boolean {
    if (this.inFlight >= this.maxConcurrency || this.waiters.length > 0) return false;
    this.inFlight += 1;
    return true;
  }

  /** Waits up to `timeoutMs` for a slot; resolves false on timeout or abort. */
  acquire(timeoutMs: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.tryAcquire()) return Promise.resolve(true);
    if (timeoutMs <= 0 || signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { resolve, timer: undefined, signal, onAbort: undefined };
      const giveUp = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        this.settle(waiter, false);
      };
      waiter.timer = this.clock.setTimeout(giveUp, timeoutMs);
      if (signal) {
        waiter.onAbort = giveUp;
        signal.addEventListener("abort", giveUp, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.settle(waiter, true);
      return;
    }
    this.inFlight -= 1;
  }

  private settle(waiter: Waiter, acquired: boolean): void {
    if (waiter.timer !== undefined) this.clock.clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(acquired);
  }
}
