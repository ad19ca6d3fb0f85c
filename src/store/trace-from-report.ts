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

/** A trace from what the gateway has at the end of a request. */
export function traceFromReport(input: TraceInput): RequestTrace {
  const targets = input.targets ?? new Map<string, TargetInfo>();
  const records = input.report?.attempts ?? attemptsOf(input.error);
  const servedBy = input.report?.provider;
  const served = servedBy === undefined ? undefined : targets.get(servedBy);
  const trace: RequestTrace = {
    id: input.id,
    startedAt: Math.round(input.startedAt),
    client: input.client,
    model: input.model,
    protocol: input.protocol,
    stream: input.stream,
    outcome: input.outcome,
    status: input.status,
    target: servedBy,
    provider: served?.provider,
    upstreamModel: served?.model,
    cached: input.report?.cached,
    latencyMs: input.latencyMs,
    firstByteMs: input.firstByteMs,
    inputTokens: input.usage?.inputTokens,
    outputTokens: input.usage?.outputTokens,
    cachedInputTokens: input.usage?.cachedInputTokens,
    costUsd: requestCost(input, served?.model),
    attempts: records.map((record) => attemptTrace(record, targets.get(record.provider))),
    prompt: input.prompt,
    completion: input.completion,
  };
  if (input.error !== undefined) {
    trace.errorClass = errorClass(input.error);
    trace.errorMessage = truncate(errorMessage(input.error));
  }
  return dropUndefined(trace);
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
  const base: AttemptTrace = {
    target: record.provider,
    provider: target?.provider,
    keyId: target?.keyId,
    upstreamModel: target?.model,
    outcome: record.outcome,
    startedAfterMs: record.startedAfterMs,
  };
  switch (record.outcome) {
    case "success":
      return dropUndefined({ ...base, ...timing(record) });
    case "failure":
      return dropUndefined({
        ...base,
        ...timing(record),
        errorKind: record.kind,
        status: record.status,
        message: truncate(record.message),
      });
    case "aborted":
      return dropUndefined({ ...base, ...timing(record), message: truncate(record.message) });
    case "skipped":
      return dropUndefined({ ...base, skippedReason: record.reason });
  }
}

function timing(record: { attempt: number; hedge: boolean; latencyMs: number }) {
  return { attempt: record.attempt, hedge: record.hedge, latencyMs: record.latencyMs };
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

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
