/** Time, injected so every timing rule can be tested on fake time. Times are in milliseconds. */
export interface Clock {
  now(): number;
  /**
   * Calls `callback` after `delayMs`. A `background` timer (health checks) must not keep the process
   * alive on its own; the others (backoff, hedging, timeouts) belong to a call in progress and do.
   */
  setTimeout(callback: () => void, delayMs: number, background?: boolean): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type TimerHandle = unknown;

/** Read once: `performance.timeOrigin` is a slow getter, and the clock is read several times a call. */
const TIME_ORIGIN = performance.timeOrigin;

/** The real clock: epoch milliseconds from the monotonic `performance` timer, and Node's timers. */
export const systemClock: Clock = {
  now: () => TIME_ORIGIN + performance.now(),
  setTimeout(callback, delayMs, background) {
    const handle = setTimeout(callback, delayMs);
    if (background) handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
