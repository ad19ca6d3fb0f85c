export interface RetryOptions {
  /** Attempts on one provider within a call, the first included (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Capped exponential backoff with full jitter: a uniform delay in [0, min(max, base * 2^(retry-1))].
 * `retry` is 1 for the first retry. `random` returns [0, 1).
 */
export function backoffDelayMs(retry: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
