import { ENGINE_OPTIONS } from "./option-table.js";

const DEFAULTS = ENGINE_OPTIONS.adaptiveConcurrency.type.fields as {
  readonly [Field in "minLimit" | "backoffRatio" | "latencyTolerance"]: {
    readonly default: number;
  };
};

export interface AdaptiveConcurrencyOptions {
  /** Where the limit starts. Default: `maxLimit`. */
  initialLimit?: number;
  /** The limit never goes below this. Default 1. */
  minLimit?: number;
  maxLimit: number;
  /** Multiplicative decrease on a rate limit or overload (0..1). Default 0.5. */
  backoffRatio?: number;
  /** Latency above this multiple of the no-load latency counts as overload. Default 2. */
  latencyTolerance?: number;
}

/**
 * An AIMD concurrency limit (the decision rule only; the limiter enforces it). It shrinks
 * multiplicatively when the provider pushes back (a rate limit, or latency well above its no-load
 * latency) and grows by one while the provider is healthy and busy (calls in flight near the limit).
 * The no-load latency is the lowest latency seen, drifting up slowly so a provider that got slower
 * for good is not judged against a stale best.
 */
export class AdaptiveLimit {
  limit: number;
  private readonly minLimit: number;
  private readonly maxLimit: number;
  private readonly backoffRatio: number;
  private readonly latencyTolerance: number;
  private noLoadLatencyMs = Number.POSITIVE_INFINITY;

  constructor(options: AdaptiveConcurrencyOptions) {
    this.maxLimit = options.maxLimit;
    this.minLimit = Math.min(options.minLimit ?? DEFAULTS.minLimit.default, this.maxLimit);
    this.backoffRatio = options.backoffRatio ?? DEFAULTS.backoffRatio.default;
    this.latencyTolerance = options.latencyTolerance ?? DEFAULTS.latencyTolerance.default;
    this.limit = clamp(options.initialLimit ?? this.maxLimit, this.minLimit, this.maxLimit);
  }

  /** A successful call: grow when busy, shrink when latency says the provider is overloaded. */
  onSuccess(latencyMs: number, inFlight: number): number {
    this.noLoadLatencyMs =
      latencyMs < this.noLoadLatencyMs ? latencyMs : this.noLoadLatencyMs * 1.001;
    if (latencyMs > this.noLoadLatencyMs * this.latencyTolerance && latencyMs > 1) {
      return this.decrease();
    }
    if (inFlight + 1 >= this.limit) this.limit = Math.min(this.maxLimit, this.limit + 1);
    return this.limit;
  }

  /** The provider pushed back (a rate limit): shrink at once. */
  onPushback(): number {
    return this.decrease();
  }

  private decrease(): number {
    this.limit = Math.max(this.minLimit, Math.floor(this.limit * this.backoffRatio));
    return this.limit;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
