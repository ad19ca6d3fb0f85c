/** A credential with the moment it stops being valid (`undefined`: it never expires). */
export interface ExpiringValue<T> {
  value: T;
  expiresAtMs: number | undefined;
}

export interface CachedTokenOptions {
  /** The wall clock; default `Date.now`. */
  now?: () => number;
  /** How long before expiry a value is replaced; default 300_000 (five minutes). */
  refreshMarginMs?: number;
}

/**
 * A getter over `fetch` that keeps the last value until `refreshMarginMs` before it expires. Callers
 * that arrive while a fetch is under way share it; a failed fetch is not kept, so the next call tries
 * again.
 */
export function cachedToken<T>(
  fetch: () => Promise<ExpiringValue<T>>,
  options: CachedTokenOptions = {},
): () => Promise<T> {
  const now = options.now ?? Date.now;
  const refreshMarginMs = options.refreshMarginMs ?? 300_000;
  let current: ExpiringValue<T> | undefined;
  let pending: Promise<T> | undefined;
  return () => {
    if (
      current !== undefined &&
      (current.expiresAtMs === undefined || now() < current.expiresAtMs - refreshMarginMs)
    ) {
      return Promise.resolve(current.value);
    }
    pending ??= fetch().then(
      (fresh) => {
        current = fresh;
        pending = undefined;
        return fresh.value;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
