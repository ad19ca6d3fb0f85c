import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { StreamInterruptedError } from "../errors/stream-interrupted-error.js";
import type { Call, CallReport } from "./call.js";
import type { Permit } from "./circuit-breaker.js";
import type { Provider, ProviderContext } from "./provider.js";
import type { ProviderEntry } from "./provider-entry.js";
import type { AttemptResult } from "./run-attempt.js";
import { recordFailure, recordSuccess, releaseSlot } from "./run-attempt.js";

/** A provider's stream, opened up to its first chunk. */
export interface StreamOpen<Chunk> {
  iterator: AsyncIterator<Chunk>;
  first: IteratorResult<Chunk>;
}

/** Starts a provider's stream and waits for its first chunk (or its end, or its failure). */
export function openProviderStream<Request, Result, Chunk>(
  provider: Provider<Request, Result, Chunk>,
  name: string,
  request: Request,
  context: ProviderContext,
): Promise<StreamOpen<Chunk>> {
  if (!provider.stream) {
    throw new ProviderError(`${name} does not support streaming`, {
      kind: "not_found",
    });
  }
  const iterator = provider.stream(request, context)[Symbol.asyncIterator]();
  return iterator.next().then((first) => ({ iterator, first }));
}

/**
 * A stream that has passed its commit point: a provider produced its first chunk, so the caller is now
 * bound to it. Iterate it once. A later failure ends it with `StreamInterruptedError` (never a clean
 * end) and counts against the provider; cancellation ends it with the caller's `signal.reason`.
 */
export class StreamSession<Request, Result, Chunk> implements AsyncIterable<Chunk> {
  private iterated = false;

  constructor(
    private readonly call: Call<Request, Result, Chunk, StreamOpen<Chunk>>,
    private readonly entry: ProviderEntry<Request, Result, Chunk>,
    private readonly permit: Permit,
    private readonly attempt: AttemptResult<StreamOpen<Chunk>> & { ok: true },
    readonly report: CallReport,
    private readonly onEnd: () => void,
  ) {}

  /** The target id of the provider that is streaming. */
  get targetId(): string {
    return this.entry.name;
  }

  /** Ends a session that will not be read (the client went away before the first byte was sent). */
  close(): void {
    if (this.iterated) return;
    this.iterated = true;
    this.settle(false, undefined, 0);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Chunk, void, undefined> {
    if (this.iterated) throw new Error("a stream session can be iterated only once");
    this.iterated = true;
    const { call, entry, attempt } = this;
    const { clock } = call.core;
    const { context } = attempt;
    const { iterator, first } = attempt.value;
    let delivered = 0;
    let finished = first.done === true;
    let failure: { error: unknown } | undefined;
    const remainingMs = call.remainingMs;
    const deadlineTimer =
      remainingMs === Number.POSITIVE_INFINITY
        ? undefined
        : clock.setTimeout(
            () => context.abort(new AttemptTimeoutError(entry.name, call.options.deadlineMs ?? 0)),
            Math.max(0, remainingMs),
          );
    try {
      if (!first.done) {
        delivered += 1;
        yield first.value;
      }
      while (!finished) {
        const next = await context.race(iterator.next());
        if (next.done) {
          finished = true;
          break;
        }
        delivered += 1;
        yield next.value;
      }
    } catch (error) {
      failure = { error };
    } finally {
      if (deadlineTimer !== undefined) clock.clearTimeout(deadlineTimer);
      call.active?.delete(context);
      this.settle(finished, failure, delivered);
    }
    if (failure) {
      if (call.cancelled) throw call.cancelReason;
      throw new StreamInterruptedError(entry.name, delivered, failure.error);
    }
  }

  /** Accounts for how the stream ended: completed, failed, or left early by the consumer. */
  private settle(
    finished: boolean,
    failure: { error: unknown } | undefined,
    delivered: number,
  ): void {
    const { call, entry, permit, attempt } = this;
    releaseSlot(entry);
    if (finished) {
      recordSuccess(call, entry, permit, attempt.context.attempt, attempt.latencyMs);
    } else if (failure && !call.cancelled) {
      recordFailure(
        call,
        entry,
        permit,
        failure.error,
        attempt.startedAt,
        attempt.context.attempt,
        false,
      );
    } else {
      entry.breaker.release(permit);
      if (!failure) {
        attempt.context.abort(
          new Error(`the consumer stopped reading after ${delivered} chunk(s)`),
        );
        void attempt.value.iterator.return?.().catch(() => undefined);
      }
    }
    call.finish();
    this.onEnd();
  }
}
