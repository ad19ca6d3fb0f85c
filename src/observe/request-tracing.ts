import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { isAllProvidersUnavailableError } from "../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../errors/attempt-record.js";
import { errorClass } from "../store/trace-from-report.js";
import type { ObservedTarget } from "./observed-gateway.js";
import type { RequestFacts } from "./request-facts.js";
import type { RequestEnd, RequestStart } from "./request-observer.js";

/** The instrumentation scope spans are recorded under. */
export const TRACER_NAME = "switchyard";

/** What a span needs to know that the request does not carry. */
export interface SpanFacts extends RequestFacts {
  /** The configured `type` of a provider (the wire format), for `gen_ai.system`. */
  providerType(provider: string): string | undefined;
}

/**
 * A request's OpenTelemetry span, through `@opentelemetry/api` only: without a tracer provider
 * registered by the host, every call here is a no-op. Attempt spans are children of the request
 * span, made from the engine's report when the request ends (with their real start and end times),
 * so they never depend on a context manager being installed.
 */
export class RequestSpan {
  private readonly span: Span;
  private readonly context: Context;
  /** When the upstream call started (epoch ms): attempt times are relative to it. */
  private callStartedAt: number | undefined;

  constructor(start: RequestStart) {
    this.span = trace.getTracer(TRACER_NAME).startSpan(
      start.endpoint,
      {
        kind: SpanKind.SERVER,
        startTime: start.startedAt,
        attributes: {
          "gen_ai.operation.name": start.endpoint,
          "switchyard.request_id": start.requestId,
          "switchyard.protocol": start.protocol,
        },
      },
      context.active(),
    );
    this.context = trace.setSpan(context.active(), this.span);
  }

  run<T>(work: () => T): T {
    this.callStartedAt ??= Date.now();
    return context.with(this.context, work);
  }

  end(end: RequestEnd, facts: SpanFacts): void {
    const span = this.span;
    if (!span.isRecording()) {
      span.end();
      return;
    }
    const endedAt = end.startedAt + end.latencyMs;
    const served = facts.target;
    span.updateName(end.model ? `${end.endpoint} ${end.model}` : end.endpoint);
    span.setAttributes(
      defined({
        "gen_ai.request.model": end.model,
        "gen_ai.response.model": served?.model,
        ...systemAttributes(served, facts),
        ...usageAttributes(end),
        "http.response.status_code": end.status,
        "switchyard.model": facts.model,
        "switchyard.client": end.client,
        "switchyard.stream": end.stream,
        "switchyard.outcome": end.outcome,
        "switchyard.provider": served?.provider,
        "switchyard.target": served?.id,
        "switchyard.key_id": served?.keyId,
        "switchyard.cached": end.report?.cached,
        "switchyard.hedged": end.report?.hedged,
        "switchyard.cost_usd": facts.costUsd,
        "error.type": end.error === undefined ? undefined : errorClass(end.error),
      }),
    );
    const records = end.report?.attempts ?? attemptsOf(end.error);
    span.setAttribute("switchyard.attempts", records.filter((r) => r.outcome !== "skipped").length);
    this.attemptSpans(records, end, facts, endedAt);
    if (end.outcome !== "success") {
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${end.outcome} (${end.status})` });
    }
    span.end(endedAt);
  }

  private attemptSpans(
    records: readonly AttemptRecord[],
    end: RequestEnd,
    facts: SpanFacts,
    endedAt: number,
  ): void {
    const base = this.callStartedAt ?? end.startedAt;
    const tracer = trace.getTracer(TRACER_NAME);
    let lastFailure: { target: string; kind: string } | undefined;
    for (const record of records) {
      const target = end.route?.targets.get(record.targetId);
      const startTime = base + record.startedAfterMs;
      if (record.outcome === "skipped") {
        this.span.addEvent(
          "switchyard.skip",
          defined({
            "switchyard.target": record.targetId,
            "switchyard.skip.reason": record.reason,
            "switchyard.cooldown.reason": record.cooldown,
          }),
          startTime,
        );
        continue;
      }
      const fallback =
        lastFailure && lastFailure.target !== record.targetId && record.attempt === 1
          ? lastFailure
          : undefined;
      const serving = record.outcome === "success" && record.targetId === end.report?.targetId;
      const span = tracer.startSpan(
        target ? `${end.endpoint} ${target.model}` : end.endpoint,
        {
          kind: SpanKind.CLIENT,
          startTime,
          attributes: defined({
            "gen_ai.operation.name": end.endpoint,
            "gen_ai.request.model": target?.model,
            ...systemAttributes(target, facts),
            ...(serving ? { "gen_ai.response.model": target?.model, ...usageAttributes(end) } : {}),
            "switchyard.provider": target?.provider,
            "switchyard.target": record.targetId,
            "switchyard.key_id": target?.keyId,
            "switchyard.attempt": record.attempt,
            "switchyard.hedge": record.hedge,
            "switchyard.outcome": record.outcome,
            "switchyard.classification": record.outcome === "failure" ? record.kind : undefined,
            "switchyard.fallback.from": fallback?.target,
            "switchyard.fallback.reason": fallback?.kind,
            "http.response.status_code": record.outcome === "failure" ? record.status : undefined,
            "error.type": record.outcome === "failure" ? record.kind : undefined,
          }),
        },
        this.context,
      );
      if (record.outcome === "failure") {
        span.setStatus({ code: SpanStatusCode.ERROR, message: record.kind });
        lastFailure = { target: record.targetId, kind: record.kind };
      }
      // A stream's serving attempt lasts until the stream ends, not just to its first chunk.
      span.end(serving && end.stream ? endedAt : startTime + record.latencyMs);
    }
  }
}

function systemAttributes(target: ObservedTarget | undefined, facts: SpanFacts): Attributes {
  const system = target ? facts.providerType(target.provider) : undefined;
  return system ? { "gen_ai.system": system, "gen_ai.provider.name": system } : {};
}

function usageAttributes(end: RequestEnd): Attributes {
  const usage = end.usage;
  if (!usage) return {};
  return defined({
    "gen_ai.usage.input_tokens": usage.inputTokens,
    "gen_ai.usage.output_tokens": usage.outputTokens,
    "gen_ai.usage.cache_read.input_tokens": usage.cachedInputTokens,
  });
}

function attemptsOf(error: unknown): readonly AttemptRecord[] {
  return isAllProvidersUnavailableError(error) ? error.attempts : [];
}

function defined(attributes: Record<string, string | number | boolean | undefined>): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes))
    if (value !== undefined) result[key] = value;
  return result;
}
