import type { CallReport } from "../engine/call.js";
import type { ObservedRoute } from "./observed-gateway.js";

/** The gateway endpoints whose requests are observed. */
export type ObservedEndpoint = "chat" | "embeddings";

/**
 * How a request ended for the client: answered, refused or failed, cut off mid-stream by the
 * upstream, or left by the client before its answer was complete (status 499).
 */
export type ObservedOutcome = "success" | "error" | "interrupted" | "client_closed";

/** A model request as it arrives. */
export interface RequestStart {
  requestId: string;
  endpoint: ObservedEndpoint;
  /** The client protocol it came in on (`ChatProtocol.name`). */
  protocol: string;
  /** Epoch milliseconds. */
  startedAt: number;
}

/** Token counts of a served request, as the upstream reported them. */
export interface ObservedUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** Input tokens served from the vendor's prompt cache (counted within `inputTokens`). */
  cachedInputTokens?: number;
}

/**
 * Everything the gateway knows when a request is over. It maps field for field onto the trace
 * store's `TraceInput` (plus `route` for its targets and `endpoint`).
 */
export interface RequestEnd extends RequestStart {
  /** The model the client asked for (a raw client string: never a metric label). */
  model: string | undefined;
  /** The route that served it, when the model was known. */
  route: ObservedRoute | undefined;
  /** The configured client's name; undefined without clients. */
  client: string | undefined;
  stream: boolean;
  /** The HTTP status the client got. */
  status: number;
  outcome: ObservedOutcome;
  /** The engine's report (at the commit point for streams); undefined when no call was made. */
  report: CallReport | undefined;
  /** What ended the request, if it did not succeed. */
  error: unknown;
  usage: ObservedUsage | undefined;
  latencyMs: number;
  /** Streams: time until the first chunk went out. */
  firstByteMs: number | undefined;
  /** Streams cut after their first byte that stream recovery tried to continue, in order. */
  continuations?: readonly ObservedContinuation[];
}

/** How a stream continuation went (see `streamRecovery`). */
export type ContinuationOutcome =
  /** The continued stream ended cleanly: the client got a whole answer. */
  | "completed"
  /** A continuation started, but its stream broke too (and was not continued again). */
  | "failed"
  /** No target could continue it (none left, circuits open, the deadline spent). */
  | "no_target"
  /** It could not be continued: cut inside a tool call or structured output, or before any text. */
  | "not_continuable"
  /** The stream had been continued `maxContinuations` times already. */
  | "limit_reached";

export const CONTINUATION_OUTCOMES: readonly ContinuationOutcome[] = [
  "completed",
  "failed",
  "no_target",
  "not_continuable",
  "limit_reached",
];

/** One cut of a committed stream that `streamRecovery: { mode: continue }` tried to continue. */
export interface ObservedContinuation {
  /** The target whose stream broke. */
  from: string;
  /** The target that continued it, when one did. */
  to: string | undefined;
  /** Characters of answer text the client had at the seam. */
  seamChars: number;
  outcome: ContinuationOutcome;
}

/** One observed request: its upstream call runs inside `run`, and it hears how it ended once. */
export interface RequestObservation {
  /** Runs the upstream call in the request's context (a tracing span, say). */
  run<T>(work: () => T): T;
  end(end: RequestEnd): void;
}

/** Told about every chat and embeddings request (metrics, tracing, the dashboard, traces). */
export interface RequestObserver {
  start(start: RequestStart): RequestObservation;
}
