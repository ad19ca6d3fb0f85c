import { SwitchyardError } from "./switchyard-error.js";

/** An attempt ran past its time limit (its own `timeoutMs` or what was left of the call's deadline). */
export class AttemptTimeoutError extends SwitchyardError {
  readonly targetId: string;
  readonly timeoutMs: number;

  constructor(targetId: string, timeoutMs: number) {
    super("attempt_timeout", `attempt on ${targetId} timed out after ${timeoutMs} ms`);
    this.targetId = targetId;
    this.timeoutMs = timeoutMs;
  }
}

export function isAttemptTimeoutError(error: unknown): error is AttemptTimeoutError {
  return error instanceof AttemptTimeoutError;
}
