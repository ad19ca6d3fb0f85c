import type { CallReport } from "../../engine/call.js";
import { isAllProvidersUnavailableError } from "../../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../../errors/attempt-record.js";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatResult } from "../../llm/chat.js";
import { type ChatStreamPart, OUTPUT_PART_TYPES } from "../../llm/stream-part.js";

/**
 * Content-policy refusals for a model with `contentFilterFallback`: an answer that stopped for
 * content policy (finish reason `content_filter`: OpenAI's `content_filter`, Anthropic's `refusal`,
 * Gemini's `SAFETY`, ...) is thrown as a `content_filter` failure so the engine moves on (the engine's
 * `failOverOn`), carrying the answer so that, when no target does better, the client gets the last
 * refusal as it came. Refusals answered as errors are already `content_filter` ProviderErrors.
 */
export class RefusedAnswerError extends ProviderError {
  constructor(
    /** What the target answered: a whole result, or every part of its stream. */
    readonly answer: { result: ChatResult } | { parts: readonly ChatStreamPart[] },
    rawFinishReason: string | null,
  ) {
    super(`refused on content policy (finish reason ${rawFinishReason ?? "content_filter"})`, {
      kind: "content_filter",
    });
  }
}

/** A whole answer, or a refusal thrown (`RefusedAnswerError`). */
export function refuseIfFiltered(result: ChatResult): ChatResult {
  if (result.finishReason !== "content_filter") return result;
  throw new RefusedAnswerError({ result }, result.rawFinishReason);
}

/**
 * Parts that are output (`OUTPUT_PART_TYPES`), and relayed events: a pass-through's events are held
 * back until the upstream's first output (`relayEvents`), so its first `wire-events` is one.
 */
const OUTPUT_PARTS: ReadonlySet<ChatStreamPart["type"]> = new Set([
  ...OUTPUT_PART_TYPES,
  "wire-events",
]);

/**
 * A stream whose first part is held back until its first output: a `content_filter` finish that
 * comes before any output ends the upstream stream here (read to its end) and is thrown as a
 * `RefusedAnswerError` with every part, so the engine can still fail over. Once output has come the
 * stream is the client's, and a later refusal passes through as sent.
 */
export async function* refuseIfFilteredFirst(
  stream: AsyncIterable<ChatStreamPart>,
): AsyncGenerator<ChatStreamPart> {
  const held: ChatStreamPart[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        yield* held;
        return;
      }
      const part = next.value;
      if (OUTPUT_PARTS.has(part.type)) {
        yield* held;
        yield part;
        break;
      }
      held.push(part);
      if (part.type === "finish" && part.finishReason === "content_filter") {
        for (let rest = await iterator.next(); !rest.done; rest = await iterator.next()) {
          held.push(rest.value);
        }
        done = true;
        throw new RefusedAnswerError({ parts: held }, part.rawFinishReason);
      }
    }
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value;
    }
    done = true;
  } finally {
    if (!done) await iterator.return?.();
  }
}

/**
 * The refusal a failed call ends with, when any target refused: the last `content_filter` failure
 * (a refusal is an answer; a target that failed otherwise has none to give).
 */
export function lastRefusalIn(attempts: readonly AttemptRecord[]): ProviderError | undefined {
  const record = attempts.findLast(
    (attempt) => attempt.outcome === "failure" && attempt.kind === "content_filter",
  );
  return record?.outcome === "failure" && record.error instanceof ProviderError
    ? record.error
    : undefined;
}

/** A refused answer to serve when every target refused (or failed), with the call's report. */
export interface RefusedCall {
  /** The target whose refusal it is. */
  targetId: string;
  answer: RefusedAnswerError["answer"];
  report: CallReport;
}

/** The last refusal of a failed call, when it was an answer: served as the call's outcome. */
export function refusedCall(error: unknown): RefusedCall | undefined {
  if (!isAllProvidersUnavailableError(error)) return undefined;
  const attempts = error.attempts;
  const record = attempts.findLast(
    (attempt) => attempt.outcome === "failure" && attempt.kind === "content_filter",
  );
  if (record?.outcome !== "failure" || !(record.error instanceof RefusedAnswerError)) {
    return undefined;
  }
  return {
    targetId: record.targetId,
    answer: record.error.answer,
    report: {
      targetId: record.targetId,
      attempts: [...attempts],
      cached: false,
      stale: false,
      hedged: false,
      latencyMs: record.startedAfterMs + record.latencyMs,
    },
  };
}
