import type { Clock } from "../engine/clock.js";
import type { Provider, ProviderContext } from "../engine/provider.js";

/** One scripted answer: a result, an error, a stream of chunks, or no answer at all. */
export type ScriptStep<Result, Chunk = unknown> =
  | { result: Result; delayMs?: number }
  | { error: unknown; delayMs?: number }
  | { chunks: Chunk[]; delayMs?: number; chunkDelayMs?: number; errorAfter?: unknown }
  | { hang: true };

export interface ScriptedProvider<Request, Result, Chunk>
  extends Required<Pick<Provider<Request, Result, Chunk>, "generate" | "stream">> {
  healthCheck?: (context: ProviderContext) => Promise<unknown>;
  /** Calls received (generate and stream). */
  calls: number;
  inFlight: number;
  maxInFlight: number;
  requests: Request[];
  contexts: ProviderContext[];
  /** Steps still queued; when empty, `fallback` answers. */
  steps: ScriptStep<Result, Chunk>[];
  fallback: ScriptStep<Result, Chunk>;
}

/**
 * A provider whose answers are scripted, timed on an injected clock: for testing routing rules
 * (yours or ours) without a network. Steps are consumed one per call; `fallback` answers after that.
 * A waiting step ends early, with the abort reason, when the attempt's signal fires.
 */
export function createScriptedProvider<Request, Result, Chunk = unknown>(
  clock: Clock,
  fallback: ScriptStep<Result, Chunk>,
  steps: ScriptStep<Result, Chunk>[] = [],
): ScriptedProvider<Request, Result, Chunk> {
  const provider: ScriptedProvider<Request, Result, Chunk> = {
    calls: 0,
    inFlight: 0,
    maxInFlight: 0,
    requests: [],
    contexts: [],
    steps,
    fallback,
    async generate(request, context) {
      const step = begin(request, context);
      try {
        await wait(clock, step, context);
        if ("error" in step) throw step.error;
        if ("result" in step) return step.result;
        throw new Error("a streaming step was scripted for generate()");
      } finally {
        provider.inFlight -= 1;
      }
    },
    async *stream(request, context) {
      const step = begin(request, context);
      try {
        await wait(clock, step, context);
        if ("error" in step) throw step.error;
        if (!("chunks" in step)) throw new Error("a non-streaming step was scripted for stream()");
        for (const chunk of step.chunks) {
          yield chunk;
          if (step.chunkDelayMs) await sleep(clock, step.chunkDelayMs, context.signal);
        }
        if (step.errorAfter !== undefined) throw step.errorAfter;
      } finally {
        provider.inFlight -= 1;
      }
    },
  };

  function begin(request: Request, context: ProviderContext): ScriptStep<Result, Chunk> {
    provider.calls += 1;
    provider.inFlight += 1;
    provider.maxInFlight = Math.max(provider.maxInFlight, provider.inFlight);
    provider.requests.push(request);
    provider.contexts.push(context);
    return provider.steps.shift() ?? provider.fallback;
  }

  return provider;
}

async function wait<Result, Chunk>(
  clock: Clock,
  step: ScriptStep<Result, Chunk>,
  context: ProviderContext,
): Promise<void> {
  if ("hang" in step) return sleep(clock, Number.POSITIVE_INFINITY, context.signal);
  if (step.delayMs) return sleep(clock, step.delayMs, context.signal);
}

/** Waits on `clock`; rejects with the abort reason when `signal` fires. */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = Number.isFinite(delayMs) ? clock.setTimeout(resolve, delayMs) : undefined;
    signal.addEventListener(
      "abort",
      () => {
        if (timer !== undefined) clock.clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
