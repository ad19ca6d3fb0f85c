import { SwitchyardError } from "./switchyard-error.js";

/**
 * A stream failed after its first chunk reached the caller. The caller already holds part of the
 * answer, so Switchyard cannot fail over transparently: it ends the stream with this error instead of
 * closing it cleanly. `cause` is the provider's error.
 */
export class StreamInterruptedError extends SwitchyardError {
  readonly targetId: string;
  readonly chunksDelivered: number;

  constructor(targetId: string, chunksDelivered: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      "stream_interrupted",
      `stream from ${targetId} failed after ${chunksDelivered} chunk(s): ${reason}`,
      { cause },
    );
    this.targetId = targetId;
    this.chunksDelivered = chunksDelivered;
  }
}

export function isStreamInterruptedError(error: unknown): error is StreamInterruptedError {
  return error instanceof StreamInterruptedError;
}
