import type { SwitchyardConfig } from "../config/index.js";
import type { RequestTrace } from "../store/request-trace.js";
import { traceFromReport } from "../store/trace-from-report.js";
import type { RequestEnd } from "./request-observer.js";

/** The trace kept of a finished request (in memory or in the database): times in whole ms. */
export function traceOfRequest(
  end: RequestEnd,
  pricing: SwitchyardConfig["pricing"],
): RequestTrace {
  return traceFromReport({
    id: end.requestId,
    startedAt: end.startedAt,
    client: end.client,
    model: end.model,
    protocol: end.protocol,
    stream: end.stream,
    outcome: end.outcome,
    status: end.status,
    error: end.error,
    report: end.report,
    targets: end.route?.targets,
    latencyMs: Math.round(end.latencyMs),
    firstByteMs: end.firstByteMs === undefined ? undefined : Math.round(end.firstByteMs),
    usage: end.usage,
    pricing,
  });
}
