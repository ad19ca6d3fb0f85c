/**
 * The steps of a failed failover as a client may see them: target id, outcome, kind, status, skip
 * reason and a short message, never the raw error, a key or a header. Also the credential scrubber
 * used for every upstream message the gateway repeats to a client. Vendor-neutral; used by
 * src/gateway/error-response.ts.
 */
import type { AttemptRecord, SkipReason } from "../../errors/attempt-record.js";
import type { ErrorKind } from "../../errors/error-kind.js";

/** One step of a failed call, safe to show a client: no keys, no headers, a short message. */
export interface GatewayAttemptSummary {
  targetId: string;
  outcome: "failure" | "skipped" | "aborted";
  kind?: ErrorKind;
  status?: number;
  reason?: SkipReason;
  availableInMs?: number;
  message: string;
}

const MAX_ATTEMPT_MESSAGE_LENGTH = 200;

export function summarizeAttempts(records: readonly AttemptRecord[]): GatewayAttemptSummary[] {
  const summaries: GatewayAttemptSummary[] = [];
  for (const record of records) {
    switch (record.outcome) {
      case "success":
        break;
      case "failure": {
        const summary: GatewayAttemptSummary = {
          targetId: record.targetId,
          outcome: "failure",
          kind: record.kind,
          message: redactMessage(record.message, MAX_ATTEMPT_MESSAGE_LENGTH),
        };
        if (record.status !== undefined) summary.status = record.status;
        summaries.push(summary);
        break;
      }
      case "aborted":
        summaries.push({
          targetId: record.targetId,
          outcome: "aborted",
          message: redactMessage(record.message, MAX_ATTEMPT_MESSAGE_LENGTH),
        });
        break;
      case "skipped": {
        const summary: GatewayAttemptSummary = {
          targetId: record.targetId,
          outcome: "skipped",
          reason: record.reason,
          message: `skipped: ${record.reason.replaceAll("_", " ")}`,
        };
        if (record.availableInMs !== undefined) summary.availableInMs = record.availableInMs;
        summaries.push(summary);
        break;
      }
    }
  }
  return summaries;
}

/** One line per step: "main failed (transient 503)", "b skipped: circuit open, available in 900 ms". */
export function describeAttemptSummary(summary: GatewayAttemptSummary): string {
  if (summary.outcome === "skipped") {
    const wait =
      summary.availableInMs === undefined
        ? ""
        : `, available in ${Math.ceil(summary.availableInMs)} ms`;
    return `${summary.targetId} ${summary.message}${wait}`;
  }
  if (summary.outcome === "aborted") return `${summary.targetId} aborted`;
  const status = summary.status === undefined ? "" : ` ${summary.status}`;
  return `${summary.targetId} failed (${summary.kind ?? "unknown"}${status})`;
}

const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(api[-_]?key|x-api-key|x-goog-api-key|authorization|token|secret|password)(["']?\s*[:=]\s*["']?)[^\s"',;&]{4,}/gi,
];

/** Cuts a message to `maxLength` and replaces anything that looks like a credential. */
export function redactMessage(message: string, maxLength: number): string {
  let text = message;
  for (const pattern of SECRET_PATTERNS) {
    text = text.replace(pattern, (match, name: unknown, separator: unknown) =>
      typeof name === "string" && typeof separator === "string"
        ? `${name}${separator}[redacted]`
        : redactToken(match),
    );
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}

function redactToken(match: string): string {
  const space = match.search(/\s/);
  return space === -1 ? "[redacted]" : `${match.slice(0, space)} [redacted]`;
}
