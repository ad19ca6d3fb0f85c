import type { ErrorKind } from "./error-kind.js";

/** Why a candidate was passed over without being called. */
export type SkipReason =
  | "circuit_open"
  | "cooling_down"
  | "at_capacity"
  | "over_cost"
  | "deadline"
  | "retry_budget"
  /** The request uses something the candidate cannot carry (`message` says what); the gateway's. */
  | "ineligible";

/**
 * Why a provider is cooling down: the one spelling, used by the error policy, attempt records,
 * events, metrics (`switchyard_cooldowns_total{reason}`), traces and the shared state.
 */
export const COOLDOWN_REASONS = ["rate_limited", "quota_exhausted", "auth_failed"] as const;
export type CooldownReason = (typeof COOLDOWN_REASONS)[number];

/** One step of a call's story: an attempt on a provider, or a candidate passed over and why. */
export type AttemptRecord =
  | {
      outcome: "success";
      targetId: string;
      /** 1 for the first attempt on this provider within the call, 2 for its first retry, ... */
      attempt: number;
      startedAfterMs: number;
      latencyMs: number;
      hedge: boolean;
      /** What the request sent here lacked (the gateway's, e.g. reasoning left out). */
      note?: string;
    }
  | {
      outcome: "failure";
      targetId: string;
      attempt: number;
      startedAfterMs: number;
      latencyMs: number;
      hedge: boolean;
      kind: ErrorKind;
      status: number | undefined;
      message: string;
      error: unknown;
      note?: string;
    }
  | {
      /** Aborted because another attempt won, the caller cancelled, or the factory closed. */
      outcome: "aborted";
      targetId: string;
      attempt: number;
      startedAfterMs: number;
      latencyMs: number;
      hedge: boolean;
      message: string;
      note?: string;
    }
  | {
      outcome: "skipped";
      targetId: string;
      startedAfterMs: number;
      reason: SkipReason;
      /** For `cooling_down`: what the provider is cooling down from. */
      cooldown?: CooldownReason;
      /** When the candidate becomes usable again, if known (circuit half-open, cooldown end). */
      availableInMs: number | undefined;
      /** What made it ineligible, for `ineligible`. */
      message?: string;
    };

export function describeAttempt(record: AttemptRecord): string {
  switch (record.outcome) {
    case "success":
      return `${record.targetId} answered in ${Math.round(record.latencyMs)} ms`;
    case "failure":
      return `${record.targetId} failed (${record.kind}${record.status ? ` ${record.status}` : ""}): ${record.message}`;
    case "aborted":
      return `${record.targetId} aborted: ${record.message}`;
    case "skipped": {
      const wait =
        record.availableInMs === undefined
          ? ""
          : ` (available in ${Math.ceil(record.availableInMs)} ms)`;
      const after = record.cooldown ? ` after ${record.cooldown.replace("_", " ")}` : "";
      const detail = record.message ? ` (${record.message})` : "";
      return `${record.targetId} skipped: ${record.reason.replace("_", " ")}${after}${wait}${detail}`;
    }
  }
}
