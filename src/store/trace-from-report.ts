import type { CallReport } from "../engine/call.js";
import { isAllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../errors/attempt-record.js";
import { isProviderError } from "../errors/provider-error.js";
import { isSwitchyardError } from "../errors/switchyard-error.js";
import { costOf, findPrice, type PricingTable, type TokenCounts } from "./cost.js";
import type { AttemptTrace, RequestOutcome, RequestTrace } from "./request-trace.js";

/** What the gateway knows of a target id (its `Target`: provider, key id, upstream model). */
export interface TargetInfo {
  provider: string;
  keyId?: string;
  model: string;
}

export interface TraceInput {
  id: string;
  startedAt: number;
  client?: string;
  model?: string;
  protocol: string;
  stream: boolean;
  outcome: RequestOutcome;
  status?: number;
  /** The error that ended the request, if any. */
  error?: unknown;
  /** The engine's report; without it the attempts are taken from the error when it has them. */
  report?: CallReport;
  /** The route's targets by id. */
  targets?: ReadonlyMap<string, TargetInfo>;
  latencyMs: number;
  firstByteMs?: number;
  usage?: TokenCounts;
  /** Prices the request: by upstream model, else by the model asked. */
  pricing?: PricingTable;
  prompt?: string;
  completion?: string;
}

const MAX_MESSAGE_LENGTH = 1000;

/**
 * A trace from what the gateway has at the end of a request. Runs once per request: absent fields
 * are never set (rather than set and deleted, which leaves V8 a slow dictionary-mode object), in the
 * order the trace's fields are declared.
 */
export function traceFromReport(input: TraceInput): RequestTrace {
  const { report, targets, usage, status, firstByteMs } = input;
  const records = report?.attempts ?? attemptsOf(input.error);
  const servedBy = report?.targetId;
  const served = servedBy === undefined ? undefined : targets?.get(servedBy);
  // Every required field is set below, in declaration order among the optional ones.
  const trace = { id: input.id, startedAt: Math.round(input.startedAt) } as RequestTrace;
  if (input.client !== undefined) trace.client = input.client;
  if (input.model !== undefined) trace.model = input.model;
  trace.protocol = input.protocol;
  trace.stream = input.stream;
  trace.outcome = input.outcome;
  if (status !== undefined) trace.status = status;
  if (servedBy !== undefined) trace.targetId = servedBy;
  if (served?.provider !== undefined) trace.provider = served.provider;
  if (served?.model !== undefined) trace.upstreamModel = served.model;
  if (report?.cached !== undefined) trace.cached = report.cached;
  trace.latencyMs = input.latencyMs;
  if (firstByteMs !== undefined) trace.firstByteMs = firstByteMs;
  if (usage?.inputTokens !== undefined) trace.inputTokens = usage.inputTokens;
  if (usage?.outputTokens !== undefined) trace.outputTokens = usage.outputTokens;
  if (usage?.cachedInputTokens !== undefined) trace.cachedInputTokens = usage.cachedInputTokens;
  const costUsd = requestCost(input, served?.model);
  if (costUsd !== undefined) trace.costUsd = costUsd;
  const attempts: AttemptTrace[] = [];
  for (const record of records) attempts.push(attemptTrace(record, targets?.get(record.targetId)));
  trace.attempts = attempts;
  if (input.prompt !== undefined) trace.prompt = input.prompt;
  if (input.completion !== undefined) trace.completion = input.completion;
  if (input.error !== undefined) {
    trace.errorClass = errorClass(input.error);
    trace.errorMessage = truncate(errorMessage(input.error));
  }
  return trace;
}

function requestCost(input: TraceInput, upstreamModel: string | undefined): number | undefined {
  if (input.report?.cached) return 0;
  if (!input.usage || !input.pricing) return undefined;
  const price = findPrice(input.pricing, upstreamModel, input.model);
  return price ? costOf(price, input.usage) : undefined;
}

function attemptsOf(error: unknown): readonly AttemptRecord[] {
  return isAllProvidersUnavailableError(error) ? error.attempts : [];
}

function attemptTrace(record: AttemptRecord, target: TargetInfo | undefined): AttemptTrace {
  // Every required field is set below, in declaration order among the optional ones.
  const attempt = { targetId: record.targetId } as AttemptTrace;
  if (target?.provider !== undefined) attempt.provider = target.provider;
  if (target?.keyId !== undefined) attempt.keyId = target.keyId;
  if (target?.model !== undefined) attempt.upstreamModel = target.model;
  attempt.outcome = record.outcome;
  if (record.startedAfterMs !== undefined) attempt.startedAfterMs = record.startedAfterMs;
  if (record.outcome === "skipped") {
    if (record.reason !== undefined) attempt.skippedReason = record.reason;
    if (record.message !== undefined) attempt.message = truncate(record.message);
    return attempt;
  }
  if (record.attempt !== undefined) attempt.attempt = record.attempt;
  if (record.hedge !== undefined) attempt.hedge = record.hedge;
  if (record.latencyMs !== undefined) attempt.latencyMs = record.latencyMs;
  if (record.outcome === "failure") {
    if (record.kind !== undefined) attempt.errorKind = record.kind;
    if (record.status !== undefined) attempt.status = record.status;
  }
  if (record.outcome !== "success") {
    const note = record.note === undefined ? "" : ` (${record.note})`;
    attempt.message = truncate(record.message + note);
  } else if (record.note !== undefined) {
    attempt.message = truncate(record.note);
  }
  return attempt;
}

/** The error's kind for a provider failure, else the gateway's code, else its name. */
export function errorClass(error: unknown): string {
  if (isProviderError(error)) return error.kind;
  if (isSwitchyardError(error)) return error.code;
  if (error instanceof Error) return error.name;
  return "unknown";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}...` : text;
}
