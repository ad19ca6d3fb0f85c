import type { CallOptions, CallReport } from "../../engine/call.js";
import type { AttemptRecord } from "../../errors/attempt-record.js";
import { isAllProvidersUnavailableError, isStreamInterruptedError } from "../../errors/index.js";
import type { ChatRequest, Usage } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { ContinuationOutcome, ObservedContinuation } from "../../observe/request-observer.js";
import type { GatewayLogger } from "../gateway-context.js";
import { estimateTokensNow } from "../passthrough/estimate-tokens.js";
import type { ClientStreamEncoder, WireSeam } from "../protocols/chat-protocol.js";
import type { ChatSession } from "../routes/chat-session.js";
import type { RequestTracker } from "../routes/request-tracker.js";
import type { ModelRoute } from "../routing/model-route.js";
import { continuationRequest } from "./continuation-request.js";
import { SeamJoiner } from "./seam-joiner.js";
import { addUsage, cutUsage } from "./usage-sum.js";

/** The rest of a stream after a cut: the seam's marker, the continuation's parts, its encoder. */
export interface ContinuedStream {
  /** An SSE comment marking the seam, the same in every protocol (clients ignore comments). */
  seam: string;
  /** The continuation's parts: seam trimmed, no metadata, usage summed with what came before. */
  parts: AsyncIterable<ChatStreamPart>;
  /** The encoder for the rest when the stream so far was relayed (undefined: keep the current one). */
  encoder: ClientStreamEncoder | undefined;
}

export interface StreamContinuationSetup {
  route: ModelRoute;
  maxContinuations: number;
  /** The unified request; undefined when the client's body could not be translated. */
  request: ChatRequest | undefined;
  /** The call's engine options (its targets, deadline, signal). */
  options: CallOptions<ChatRequest>;
  tracker: RequestTracker;
  session: ChatSession;
  /** How relayed (pass-through) events are read; undefined when the protocol's are not continued. */
  wireSeam: WireSeam | undefined;
  /** `performance.now()` when the request arrived: the deadline counts from there. */
  startedAtMs: number;
  logger: GatewayLogger;
  requestId: string;
}

/**
 * Stream recovery (`streamRecovery: { mode: continue }`): watches a committed stream's parts, and
 * when the stream breaks while writing text, opens a stream on another target of the model that
 * continues the same answer (`continuationRequest`) and hands back its parts for the same client
 * stream. A continuation is a call of the model's engine like any other (order, circuits,
 * cooldowns, limits), within what is left of the deadline, on the targets not yet cut. What it
 * cannot continue (a tool call, structured output, no text yet) fails as before. Every cut is
 * recorded on the tracker (`continuations`), and the request's report lists every attempt, the cut
 * one annotated with the seam.
 */
export class StreamContinuation {
  /** The answer text the client has. */
  private text = "";
  /** Text the current attempt produced (what it is paid for). */
  private attemptText = "";
  private extendable = true;
  private relayed = false;
  /** The latest usage the current attempt reported. */
  private reported: Usage | undefined;
  /** Usage of the attempts that were cut (reported or estimated). */
  private paid: Usage | undefined;
  private readonly cutTargets = new Set<string>();
  private readonly reports: CallReport[];
  private readonly notes = new Map<CallReport, { targetId: string; note: string }>();
  private readonly unavailable: AttemptRecord[] = [];
  private readonly records: ObservedContinuation[] = [];

  constructor(private readonly setup: StreamContinuationSetup) {
    this.reports = [setup.session.report];
  }

  /** The first stream's parts, read on their way to the client. */
  async *watch(parts: AsyncIterable<ChatStreamPart>): AsyncGenerator<ChatStreamPart> {
    for await (const part of parts) {
      switch (part.type) {
        case "wire-events":
          this.relayed = true;
          for (const event of part.events) this.setup.wireSeam?.observe(event);
          break;
        case "text-delta":
          this.text += part.text;
          this.attemptText += part.text;
          break;
        case "tool-call-delta":
        case "finish":
          this.extendable = false;
          break;
        case "usage":
          this.reported = part.usage;
          break;
      }
      yield part;
    }
  }

  /** The continuation of a stream that failed with `error`; undefined when it is not continued. */
  async recover(error: unknown): Promise<ContinuedStream | undefined> {
    if (!isStreamInterruptedError(error)) return undefined;
    const from = error.targetId;
    const cutReport = this.reports[this.reports.length - 1] as CallReport;
    const wireSeam = this.relayed ? this.setup.wireSeam : undefined;
    if (wireSeam) {
      this.text = wireSeam.text;
      this.attemptText = wireSeam.text;
    }
    const seamChars = this.text.length;
    const refusal = this.refusal(wireSeam);
    if (refusal) return this.decline(from, seamChars, refusal);
    const request = this.setup.request as ChatRequest;
    const attemptTokens = countTokens(this.attemptText);
    const textTokens = countTokens(this.text);
    const inputTokens = estimateTokensNow({ messages: request.messages, tools: request.tools });
    const cut = cutUsage(this.reported, { inputTokens, outputTokens: attemptTokens });
    this.paid = addUsage(this.paid, cut.usage);
    this.cutTargets.add(from);
    const { options, route } = this.setup;
    const targetIds = (options.targetIds ?? [...route.targets.keys()]).filter(
      (id) => !this.cutTargets.has(id),
    );
    const remainingMs =
      options.deadlineMs === undefined
        ? undefined
        : options.deadlineMs - (performance.now() - this.setup.startedAtMs);
    if (targetIds.length === 0 || (remainingMs !== undefined && remainingMs <= 0)) {
      return this.decline(from, seamChars, "no_target");
    }
    let session: ChatSession;
    try {
      session = await this.setup.tracker.run(() =>
        route.chat.openStream(continuationRequest(request, this.text, textTokens), {
          ...options,
          targetIds,
          ...(remainingMs === undefined ? {} : { deadlineMs: remainingMs }),
        }),
      );
    } catch (openError) {
      if (isAllProvidersUnavailableError(openError)) this.unavailable.push(...openError.attempts);
      this.setup.tracker.report = this.report();
      return this.decline(from, seamChars, "no_target");
    }
    const estimate = cut.estimated
      ? `; its usage was estimated from the partial text (~${cut.usage.outputTokens} output tokens)`
      : "";
    this.notes.set(cutReport, {
      targetId: from,
      note: `; continued on ${session.targetId} at char ${seamChars} of the answer${estimate}`,
    });
    this.reports.push(session.report);
    this.setup.tracker.report = this.report();
    const record: ObservedContinuation = {
      from,
      to: session.targetId,
      seamChars,
      outcome: "failed",
    };
    this.record(record);
    this.setup.logger.info(
      { requestId: this.setup.requestId, from, to: session.targetId, seamChars },
      "stream continued",
    );
    const encoder = wireSeam?.resume();
    this.relayed = false;
    return {
      seam: `: switchyard continued on ${session.targetId} after ${seamChars} chars\n\n`,
      parts: this.continued(session, record),
      encoder,
    };
  }

  /** Why a cut is not continued, if it is not. */
  private refusal(wireSeam: WireSeam | undefined): ContinuationOutcome | undefined {
    const request = this.setup.request;
    if (
      this.records.filter((record) => record.to !== undefined).length >= this.setup.maxContinuations
    ) {
      return "limit_reached";
    }
    const format = request?.responseFormat?.type;
    const structured = format === "json" || format === "json_schema";
    const relayedButUnread = this.relayed && (wireSeam === undefined || !wireSeam.extendable);
    if (!request || structured || !this.extendable || relayedButUnread) return "not_continuable";
    return this.text.trim() === "" ? "not_continuable" : undefined;
  }

  private decline(from: string, seamChars: number, outcome: ContinuationOutcome): undefined {
    this.record({ from, to: undefined, seamChars, outcome });
    return undefined;
  }

  private record(record: ObservedContinuation): void {
    this.records.push(record);
    this.setup.tracker.continuations = this.records;
  }

  private async *continued(
    session: ChatSession,
    record: ObservedContinuation,
  ): AsyncGenerator<ChatStreamPart> {
    const joiner = new SeamJoiner(this.text);
    this.attemptText = "";
    this.reported = undefined;
    const paid = this.paid as Usage;
    yield { type: "usage", usage: paid };
    for await (const part of session) {
      switch (part.type) {
        case "response-metadata":
        case "reasoning-delta":
        case "wire-events":
          continue; // the client's stream has started already; reasoning would land mid-text
        case "text-delta": {
          this.attemptText += part.text;
          const text = joiner.push(part.text);
          if (text === "") continue;
          this.text += text;
          yield { type: "text-delta", text };
          continue;
        }
        case "usage":
          this.reported = part.usage;
          yield { type: "usage", usage: addUsage(paid, part.usage) };
          continue;
        default: {
          const held = joiner.flush();
          if (held !== "") {
            this.text += held;
            yield { type: "text-delta", text: held };
          }
          if (part.type === "tool-call-delta" || part.type === "finish") this.extendable = false;
          yield part;
        }
      }
    }
    const held = joiner.flush();
    if (held !== "") {
      this.text += held;
      yield { type: "text-delta", text: held };
    }
    record.outcome = "completed";
  }

  /** The request's report: every call's attempts in order, the cut ones annotated with the seam. */
  private report(): CallReport {
    const { reports, notes, unavailable } = this;
    const first = reports[0] as CallReport;
    return {
      get targetId() {
        return (reports[reports.length - 1] as CallReport).targetId;
      },
      get attempts() {
        return [
          ...reports.flatMap((report) => annotated(report, notes.get(report))),
          ...unavailable,
        ];
      },
      cached: false,
      stale: false,
      hedged: first.hedged,
      latencyMs: first.latencyMs,
    };
  }
}

/** A report's attempts, its cut attempt (the last failure of `targetId`) carrying the note. */
function annotated(
  report: CallReport,
  note: { targetId: string; note: string } | undefined,
): AttemptRecord[] {
  if (!note) return report.attempts;
  const attempts = [...report.attempts];
  for (let index = attempts.length - 1; index >= 0; index--) {
    const attempt = attempts[index] as AttemptRecord;
    if (attempt.outcome === "failure" && attempt.targetId === note.targetId) {
      attempts[index] = { ...attempt, message: attempt.message + note.note };
      break;
    }
  }
  return attempts;
}

function countTokens(text: string): number {
  return text === "" ? 0 : estimateTokensNow({ messages: [text] });
}

/**
 * The route's stream recovery for one committed stream; undefined when the model's mode is `fail`
 * (the default), without building its setup.
 */
export function streamContinuationOf(
  route: ModelRoute,
  setup: () => Omit<StreamContinuationSetup, "route" | "maxContinuations">,
): StreamContinuation | undefined {
  const recovery = route.streamRecovery;
  if (recovery?.mode !== "continue") return undefined;
  return new StreamContinuation({
    ...setup(),
    route,
    maxContinuations: recovery.maxContinuations,
  });
}
