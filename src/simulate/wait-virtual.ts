import type { Clock } from "../engine/clock.js";

/**
 * Waits `delayMs` on `clock`; rejects with the signal's reason as soon as it aborts (and then clears
 * its timer). `background` timers do not keep a simulation running on their own (health probes).
 */
export function waitVirtual(
  clock: Clock,
  delayMs: number,
  signal: AbortSignal,
  background = false,
): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = clock.setTimeout(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      delayMs,
      background,
    );
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Never settles on its own: rejects with the signal's reason when it aborts (a hung upstream). */
export function hangUntilAborted(signal: AbortSignal): Promise<never> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
