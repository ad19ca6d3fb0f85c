import type { TimerHandle } from "./clock.js";
import type { ProviderContext } from "./provider.js";

/**
 * The context one attempt hands its provider. The `AbortController` behind `signal` is created only
 * if the provider reads `signal`, which keeps the common, uneventful call cheap. `abort` aborts the
 * signal and rejects the attempt's race at once, even if the provider ignores the signal.
 */
export class AttemptContext implements ProviderContext {
  aborted = false;
  abortReason: unknown;
  timer: TimerHandle | undefined;
  private controller: AbortController | undefined;
  private rejectRace: ((reason: unknown) => void) | undefined;

  constructor(
    readonly targetId: string,
    readonly attempt: number,
  ) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.rejectRace?.(reason);
  }

  /** Settles with `work`, or rejects with the abort reason as soon as `abort` is called. */
  race<Value>(work: Promise<Value>): Promise<Value> {
    return new Promise<Value>((resolve, reject) => {
      work.then(resolve, reject);
      if (this.aborted) reject(this.abortReason);
      else this.rejectRace = reject;
    });
  }
}
