import type { Call } from "./call.js";
import type { ProviderEntry } from "./provider-entry.js";

/**
 * When every candidate failed or was skipped and some are merely rate limited for a short while,
 * waits for the first of them (within `maxRetryAfterWaitMs`, the deadline and the retry budget) and
 * returns the candidates usable then; none when waiting is not worth it or the call ends first.
 */
export async function readyAfterRateLimits<Request, Result, Chunk, Value>(
  call: Call<Request, Result, Chunk, Value>,
  candidates: readonly ProviderEntry<Request, Result, Chunk>[],
): Promise<readonly ProviderEntry<Request, Result, Chunk>[]> {
  const none: readonly ProviderEntry<Request, Result, Chunk>[] = [];
  const { core } = call;
  let waitMs = Number.POSITIVE_INFINITY;
  for (const entry of candidates) {
    const left = entry.cooldownReason === "rate_limited" ? entry.cooldownLeftMs() : 0;
    if (left > 0 && left < waitMs) waitMs = left;
  }
  if (waitMs > core.maxRetryAfterWaitMs) return none;
  if (waitMs + core.minAttemptMs > call.remainingMs) return none;
  if (core.budget && !core.budget.tryRetry()) return none;
  try {
    await call.sleep(waitMs);
  } catch {
    return none;
  }
  return candidates.filter((entry) => entry.cooldownLeftMs() === 0);
}

/**
 * When every candidate is merely waiting (circuit, cooldown), how long until the first is usable.
 */
export function retryAfterMs<Request, Result, Chunk>(
  candidates: readonly ProviderEntry<Request, Result, Chunk>[],
): number | undefined {
  let earliest = Number.POSITIVE_INFINITY;
  for (const entry of candidates) {
    const waitMs = Math.max(entry.cooldownLeftMs(), entry.breaker.availableInMs());
    if (waitMs === 0) return undefined;
    earliest = Math.min(earliest, waitMs);
  }
  return Number.isFinite(earliest) ? earliest : undefined;
}
