import type { SwitchyardConfig } from "../../config/index.js";
import type { RequestEnd, RequestObserver } from "../../observe/request-observer.js";
import { traceOfRequest } from "../../observe/trace-of-request.js";
import type { BudgetGuard } from "../../store/budget.js";
import type { TraceStore } from "../../store/trace-store.js";

/**
 * Keeps a trace of every request in the trace store (off the hot path: `record` only buffers) and
 * adds its cost to the client's budget. Prompts and completions are not stored.
 */
export function createTraceRecorder(
  store: TraceStore,
  config: () => SwitchyardConfig,
  budget: BudgetGuard | undefined,
): RequestObserver {
  return {
    start: () => ({
      run: (work) => work(),
      end: (end: RequestEnd) => {
        const trace = traceOfRequest(end, config().pricing);
        store.record(trace);
        if (budget && end.client && trace.costUsd) budget.addSpend(end.client, trace.costUsd);
      },
    }),
  };
}

/** Tells several observers about each request, in order; one observer's fault never reaches another. */
export function combineObservers(
  observers: readonly RequestObserver[],
): RequestObserver | undefined {
  if (observers.length === 0) return undefined;
  if (observers.length === 1) return observers[0];
  return {
    start(start) {
      const observations = observers.map((observer) => observer.start(start));
      return {
        run: (work) =>
          observations.reduceRight((inner, observation) => () => observation.run(inner), work)(),
        end(end) {
          for (const observation of observations) {
            try {
              observation.end(end);
            } catch {
              // An observer's fault must never fail the request or silence the others.
            }
          }
        },
      };
    },
  };
}
