import type { CallReport } from "../../engine/call.js";
import type { ModelRoute } from "../routing/model-route.js";

/** The Switchyard headers on every routed answer: who served, with which model, after how many tries. */
export function routingHeaders(route: ModelRoute, report: CallReport): Record<string, string> {
  const headers: Record<string, string> = { "x-switchyard-attempts": String(attemptCount(report)) };
  const target = report.targetId ? route.targets.get(report.targetId) : undefined;
  if (target) {
    headers["x-switchyard-provider"] = target.provider;
    headers["x-switchyard-model"] = target.model;
  }
  if (report.cached) headers["x-switchyard-cache"] = report.stale ? "stale" : "hit";
  return headers;
}

/** Attempts actually made (skipped candidates are not attempts). */
export function attemptCount(report: { attempts: CallReport["attempts"] }): number {
  let count = 0;
  for (const attempt of report.attempts) if (attempt.outcome !== "skipped") count++;
  return count;
}
