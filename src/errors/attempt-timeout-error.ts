import { SwitchyardError } from "./switchyard-error.js";

/** An attempt ran past its time limit (its own `timeoutMs` or what was left of the call's deadline). */
export class AttemptTimeoutError extends SwitchyardError {
  readonly provider: string;
  readonly timeoutMs: number;

  constructor(provider: string, timeoutMs: number) {
    super("attempt_timeout", `attempt on ${provider} timed out after ${timeoutMs} ms`);
    this.provider = provider;
    this.timeoutMs = timeoutMs;
  }
}

export function isAttemptTimeoutError(error: unknown): error is AttemptTimeoutError {
  return error instanceof AttemptTimeoutError;
}
