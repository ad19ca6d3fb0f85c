import { type AttemptRecord, describeAttempt } from "./attempt-record.js";
import type { ErrorKind } from "./error-kind.js";
import { SwitchyardError } from "./switchyard-error.js";

/**
 * Every candidate failed or was unavailable. Carries the whole story: each attempt and skip in order,
 * the last error by provider, and, when every candidate is merely waiting (open circuits, cooldowns),
 * how long until the first of them is usable again.
 */
export class AllProvidersUnavailableError extends SwitchyardError {
  readonly attempts: readonly AttemptRecord[];
  readonly errors: Readonly<Record<string, unknown>>;
  readonly retryAfterMs: number | undefined;

  constructor(attempts: readonly AttemptRecord[], retryAfterMs: number | undefined) {
    const errors: Record<string, unknown> = {};
    for (const record of attempts) {
      if (record.outcome === "failure") errors[record.targetId] = record.error;
    }
    const story =
      attempts.length === 0 ? "no providers registered" : attempts.map(describeAttempt).join("; ");
    const wait = retryAfterMs === undefined ? "" : ` (retry in ${Math.ceil(retryAfterMs)} ms)`;
    super("all_providers_unavailable", `all providers unavailable${wait}: ${story}`);
    this.attempts = attempts;
    this.errors = errors;
    this.retryAfterMs = retryAfterMs;
  }

  /** The error kinds of the failed attempts, most recent last. */
  get kinds(): ErrorKind[] {
    const kinds: ErrorKind[] = [];
    for (const record of this.attempts) if (record.outcome === "failure") kinds.push(record.kind);
    return kinds;
  }
}

export function isAllProvidersUnavailableError(
  error: unknown,
): error is AllProvidersUnavailableError {
  return error instanceof AllProvidersUnavailableError;
}
