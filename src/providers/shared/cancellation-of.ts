import type { Cancellation, ProviderContext } from "../../engine/provider.js";

/**
 * A context's cancellation: the engine's own (`context.cancellation`), or one over `context.signal`
 * for a context made elsewhere (a test, a host calling an adapter directly).
 */
export function cancellationOf(context: ProviderContext): Cancellation {
  return context.cancellation ?? signalCancellation(context.signal);
}

/** Whether the context's attempt was aborted, read without building its `AbortSignal`. */
export function isAborted(context: ProviderContext): boolean {
  return context.cancellation?.aborted ?? context.signal.aborted;
}

/** `signal` as a `Cancellation`. */
export function signalCancellation(signal: AbortSignal): Cancellation {
  return {
    get aborted() {
      return signal.aborted;
    },
    get abortReason() {
      return signal.reason;
    },
    onAbort(listener) {
      signal.addEventListener("abort", listener);
      return () => signal.removeEventListener("abort", listener);
    },
  };
}
