import type { Clock } from "./clock.js";
import { RollingCounts } from "./rolling-counts.js";

export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (consecutive mode). */
  failureThreshold: number;
  /** How long the circuit stays open before admitting trial calls. */
  recoveryTimeoutMs: number;
  /** Cap for the open time, which doubles each time a trial fails. */
  maxRecoveryTimeoutMs: number;
  /** Trial calls admitted in half-open; that many must succeed to close the circuit. */
  halfOpenRequests: number;
  /** When set (0..1), the circuit opens on the failure rate over a rolling window instead. */
  failureRateThreshold: number | undefined;
  failureRateWindowMs: number;
  /** Calls needed in the window before the failure rate is judged. */
  minimumCalls: number;
  /** Successful calls slower than this count as failures. */
  slowCallMs: number | undefined;
}

/** Proof of admission. Settle it exactly once with `success`, `failure` or `release`. */
export interface Permit {
  readonly trial: boolean;
  readonly generation: number;
}

/**
 * A per-provider circuit breaker: closed -> open after too many failures -> half-open after the
 * recovery time, admitting a few trial calls -> closed when they all succeed, or open again (for twice
 * as long) when one fails. Outcomes of calls admitted before the last transition are ignored, so a
 * slow failure from an earlier era cannot reopen a circuit that has since recovered.
 */
export class CircuitBreaker {
  private stateValue: CircuitState = "closed";
  private generation = 0;
  private closedPermit: Permit = { trial: false, generation: 0 };
  private consecutiveFailures = 0;
  private openUntil = 0;
  private openMs: number;
  private trialsAdmitted = 0;
  private trialSuccesses = 0;
  private readonly counts: RollingCounts | undefined;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Clock,
    /** `local` is false for transitions applied from shared state (not to be reported back). */
    private readonly onChange: (from: CircuitState, to: CircuitState, local: boolean) => void,
  ) {
    this.openMs = options.recoveryTimeoutMs;
    if (options.failureRateThreshold !== undefined) {
      this.counts = new RollingCounts(options.failureRateWindowMs, 10, clock);
    }
  }

  /** The current state, moving open -> half-open once the recovery time has passed. */
  get state(): CircuitState {
    if (this.stateValue === "open" && this.clock.now() >= this.openUntil) {
      this.transition("half_open");
    }
    return this.stateValue;
  }

  /** Milliseconds until the circuit admits calls again (0 when it admits now). */
  availableInMs(): number {
    const state = this.state;
    if (state === "open") return Math.max(0, this.openUntil - this.clock.now());
    if (state === "half_open" && this.trialsAdmitted >= this.options.halfOpenRequests) {
      return this.options.recoveryTimeoutMs;
    }
    return 0;
  }

  /** Admits a call, or returns undefined when the circuit is open or half-open trials are taken. */
  tryAcquire(): Permit | undefined {
    const state = this.state;
    if (state === "closed") return this.closedPermit;
    if (state === "open" || this.trialsAdmitted >= this.options.halfOpenRequests) return undefined;
    this.trialsAdmitted += 1;
    return { trial: true, generation: this.generation };
  }

  success(permit: Permit, latencyMs: number): void {
    const slow = this.options.slowCallMs !== undefined && latencyMs > this.options.slowCallMs;
    if (slow) {
      this.failure(permit);
      return;
    }
    if (permit.generation !== this.generation) return;
    if (permit.trial) {
      this.trialSuccesses += 1;
      if (this.trialSuccesses >= this.options.halfOpenRequests) {
        this.openMs = this.options.recoveryTimeoutMs;
        this.transition("closed");
      }
      return;
    }
    this.consecutiveFailures = 0;
    this.counts?.add(1, 0);
  }

  /**
   * Counts a failure. With `countLocally` false (shared state counts consecutive failures across
   * instances), a closed circuit leaves opening to the shared count; a failed trial still reopens.
   */
  failure(permit: Permit, countLocally = true): void {
    if (permit.generation !== this.generation) return;
    if (permit.trial) {
      this.openMs = Math.min(this.openMs * 2, this.options.maxRecoveryTimeoutMs);
      this.open();
      return;
    }
    if (!countLocally && !this.counts) return;
    this.consecutiveFailures += 1;
    if (this.counts) {
      this.counts.add(1, 1);
      const { total, marked } = this.counts.sum();
      const threshold = this.options.failureRateThreshold ?? 1;
      if (total >= this.options.minimumCalls && marked / total >= threshold) this.open();
    } else if (this.consecutiveFailures >= this.options.failureThreshold) {
      this.open();
    }
  }

  /** Settles a permit whose call neither proved nor disproved the provider (cancelled, caller's fault). */
  release(permit: Permit): void {
    if (permit.trial && permit.generation === this.generation) this.trialsAdmitted -= 1;
  }

  /** How long the next opening lasts (doubles after each failed trial, up to the cap). */
  get currentOpenMs(): number {
    return this.openMs;
  }

  /** Clock time until which an open circuit stays open. */
  get openUntilMs(): number {
    return this.openUntil;
  }

  /**
   * Applies a decision made elsewhere (another instance's view of this provider): open until
   * `untilMs` (kept if already open for longer), or closed.
   */
  force(state: "open" | "closed", untilMs = 0): void {
    if (state === "open") {
      if (this.stateValue === "open" && this.openUntil >= untilMs) return;
      this.openUntil = untilMs;
      if (this.stateValue === "open") return;
      this.transition("open", false);
      return;
    }
    if (this.stateValue === "closed") return;
    this.openMs = this.options.recoveryTimeoutMs;
    this.transition("closed", false);
  }

  private open(): void {
    this.openUntil = this.clock.now() + this.openMs;
    this.transition("open");
  }

  private transition(to: CircuitState, local = true): void {
    const from = this.stateValue;
    this.stateValue = to;
    this.generation += 1;
    this.closedPermit = { trial: false, generation: this.generation };
    this.consecutiveFailures = 0;
    this.trialsAdmitted = 0;
    this.trialSuccesses = 0;
    this.counts?.clear();
    if (from !== to) this.onChange(from, to, local);
  }
}
