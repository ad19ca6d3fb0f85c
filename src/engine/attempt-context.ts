import type { TimerHandle } from "./clock.js";
import type { Cancellation, ProviderContext } from "./provider.js";

/**
 * The context one attempt hands its provider. The `AbortController` behind `signal` is created only
 * if the provider reads `signal`, which keeps the common, uneventful call cheap; the context is its
 * own `cancellation`, watched with a plain list of listeners. `abort` aborts the signal, tells the
 * listeners and rejects the attempt's race at once, even if the provider ignores the signal.
 */
export class AttemptContext implements ProviderContext, Cancellation {
  aborted = false;
  abortReason: unknown;
  timer: TimerHandle | undefined;
  private controller: AbortController | undefined;
  private rejectRace: ((reason: unknown) => void) | undefined;
  private listeners: (() => void)[] | undefined;

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

  get cancellation(): Cancellation {
    return this;
  }

  onAbort(listener: () => void): () => void {
    if (this.aborted) return noop;
    this.listeners ??= [];
    this.listeners.push(listener);
    return () => {
      const index = this.listeners?.indexOf(listener) ?? -1;
      if (index !== -1) this.listeners?.splice(index, 1);
    };
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
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

function noop(): void {}
