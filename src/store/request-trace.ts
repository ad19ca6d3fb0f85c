/**
 * What the gateway records about one request: the request row and its chain of attempts. Optional
 * fields are absent when unknown; a stored trace reads back in the same shape.
 */

/** How the request ended for the client: answered, refused or failed, cut off mid-stream, or left by the client. */
export type RequestOutcome = "success" | "error" | "interrupted" | "client_closed";

export const REQUEST_OUTCOMES: readonly RequestOutcome[] = [
  "success",
  "error",
  "interrupted",
  "client_closed",
];

/** One step of the engine's story (see `AttemptRecord`). */
export type AttemptOutcome = "success" | "failure" | "aborted" | "skipped";

export interface AttemptTrace {
  /** The engine's target id for the candidate (`provider/model` or `provider#key/model`). */
  targetId: string;
  provider?: string;
  /** The id of the provider key used, never the key itself. */
  keyId?: string;
  upstreamModel?: string;
  outcome: AttemptOutcome;
  /** 1 for the first attempt on this target within the request, 2 for its first retry, ... */
  attempt?: number;
  hedge?: boolean;
  /** The error kind of a failure (`rate_limited`, `timeout`, ...). */
  errorKind?: string;
  /** The upstream HTTP status of a failure. */
  status?: number;
  startedAfterMs?: number;
  latencyMs?: number;
  /** Why a skipped candidate was passed over (`circuit_open`, ...). */
  skippedReason?: string;
  message?: string;
}

export interface RequestTrace {
  /** The gateway's request id. */
  id: string;
  /** When the request arrived, epoch milliseconds. */
  startedAt: number;
  /** The client's name; absent when the gateway has no clients configured. */
  client?: string;
  /** The model the client asked for. */
  model?: string;
  /** The client protocol and endpoint the request came in on. */
  protocol: string;
  stream: boolean;
  outcome: RequestOutcome;
  /** The HTTP status the client got. */
  status?: number;
  /** What kind of error ended the request (an error kind or the gateway's error code). */
  errorClass?: string;
  errorMessage?: string;
  /** The target id that served, with its provider and upstream model. */
  targetId?: string;
  provider?: string;
  upstreamModel?: string;
  /** Served from the response cache. */
  cached?: boolean;
  latencyMs: number;
  /** Time to the first byte of a streamed answer. */
  firstByteMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Input tokens served from the vendor's prompt cache (counted within `inputTokens`). */
  cachedInputTokens?: number;
  /** Absent when the upstream model has no price. */
  costUsd?: number;
  attempts: AttemptTrace[];
  /** The request's content as text (JSON); stored only when the store keeps content. */
  prompt?: string;
  completion?: string;
}

/** A request as listed: the trace without its attempts, with how many attempts were made. */
export type RequestSummary = Omit<RequestTrace, "attempts"> & {
  /** Attempts actually made (skipped candidates not counted). */
  attemptCount: number;
};

/** A request with its chain of attempts, in the order they happened. */
export type RequestDetail = RequestSummary & { attempts: AttemptTrace[] };

/** Attempts actually made, skipped candidates not counted. */
export function countAttempts(attempts: readonly AttemptTrace[]): number {
  let count = 0;
  for (const attempt of attempts) if (attempt.outcome !== "skipped") count++;
  return count;
}
