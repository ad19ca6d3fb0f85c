import { kindOfStatus } from "../engine/classify-error.js";
import { ProviderError } from "../errors/provider-error.js";
import { isFaultActive, type TargetProfile } from "./resolve-profile.js";
import { sampleLatency } from "./sample-latency.js";
import type { FaultSpec } from "./scenario-schema.js";
import type { SeededRandom } from "./seeded-random.js";

/** What one simulated upstream call will do. Times are relative to its start. */
export type AttemptPlan =
  | { type: "fail"; afterMs: number; error: ProviderError }
  | { type: "hang" }
  | {
      type: "serve";
      latencyMs: number;
      /** When a stream's first chunk arrives. */
      firstChunkMs: number;
      /** When a stream is cut, if it is (after its first chunk, before its end). */
      cutAtMs: number | undefined;
    };

/** Calls admitted in the current one-second window, per rate-limit declaration and key. */
export interface CapacityWindow {
  second: number;
  admitted: number;
}

export interface TargetBehaviourOptions {
  /** The config's provider name (what errors name). */
  provider: string;
  /** Identifies the key: capacities are counted per key and declaration. */
  adapterId: string;
  profile: TargetProfile;
  random: SeededRandom;
  /** Shared by every target of the run, so targets of one key share a declared capacity. */
  capacity: Map<string, CapacityWindow>;
}

/** Connection refused comes back at once. */
const REFUSED_AFTER_MS = 1;

/**
 * Decides, from a target's profile and the faults active at the moment, how each call to it goes.
 * All randomness comes from the target's own seeded source, so runs replay exactly.
 */
export class TargetBehaviour {
  constructor(private readonly options: TargetBehaviourOptions) {}

  /** The plan of one call starting `elapsedMs` into the run. */
  plan(elapsedMs: number, streaming: boolean): AttemptPlan {
    const { profile, random } = this.options;
    const active = this.active(elapsedMs);
    for (const { spec } of active) {
      if (spec.type === "quotaExhausted") return this.fail(quotaError(this.options.provider));
    }
    for (const { spec } of active) {
      if (spec.type !== "outage") continue;
      if (spec.mode === "hang") return { type: "hang" };
      return {
        type: "fail",
        afterMs: REFUSED_AFTER_MS,
        error: refusedError(this.options.provider),
      };
    }
    for (const fault of active) {
      if (fault.spec.type !== "rateLimit") continue;
      const limited = this.rateLimited(fault.spec, fault.declaration, elapsedMs);
      if (limited) return this.fail(limited);
    }
    for (const { spec } of active) {
      if (spec.type === "errorRate" && random.chance(spec.rate)) {
        return this.fail(statusError(this.options.provider, spec.status));
      }
    }
    let latencyMs = sampleLatency(profile.latency, random);
    for (const { spec } of active) {
      if (spec.type === "slowdown") latencyMs = latencyMs * spec.factor + spec.addMs;
    }
    const firstChunkMs = latencyMs * profile.firstChunkRatio;
    let cutAtMs: number | undefined;
    if (streaming) {
      for (const { spec } of active) {
        if (spec.type === "streamCut" && cutAtMs === undefined && random.chance(spec.rate)) {
          cutAtMs = firstChunkMs + random.next() * (latencyMs - firstChunkMs);
        }
      }
    }
    return { type: "serve", latencyMs, firstChunkMs, cutAtMs };
  }

  /** A health probe: fails during an outage, otherwise answers quickly. */
  probe(elapsedMs: number): AttemptPlan {
    for (const { spec } of this.active(elapsedMs)) {
      if (spec.type !== "outage") continue;
      if (spec.mode === "hang") return { type: "hang" };
      return {
        type: "fail",
        afterMs: REFUSED_AFTER_MS,
        error: refusedError(this.options.provider),
      };
    }
    const latencyMs = sampleLatency(this.options.profile.errorLatency, this.options.random);
    return { type: "serve", latencyMs, firstChunkMs: latencyMs, cutAtMs: undefined };
  }

  private active(elapsedMs: number): TargetProfile["faults"] {
    const faults = this.options.profile.faults;
    if (faults.length === 0) return faults;
    return faults.filter((fault) => isFaultActive(fault.spec, elapsedMs));
  }

  private fail(error: ProviderError): AttemptPlan {
    const afterMs = sampleLatency(this.options.profile.errorLatency, this.options.random);
    return { type: "fail", afterMs, error };
  }

  private rateLimited(
    spec: FaultSpec & { type: "rateLimit" },
    declaration: string,
    elapsedMs: number,
  ): ProviderError | undefined {
    const { provider, adapterId, capacity, random } = this.options;
    if (spec.capacityPerSecond !== undefined) {
      const key = `${adapterId}|${declaration}`;
      const second = Math.floor(elapsedMs / 1000);
      let window = capacity.get(key);
      if (!window || window.second !== second) {
        window = { second, admitted: 0 };
        capacity.set(key, window);
      }
      if (window.admitted >= spec.capacityPerSecond) {
        const retryAfterMs = spec.retryAfterMs ?? Math.ceil((second + 1) * 1000 - elapsedMs);
        return rateLimitError(provider, retryAfterMs, spec.capacityPerSecond);
      }
      window.admitted += 1;
      if (spec.rate === undefined) return undefined;
    }
    if (random.chance(spec.rate ?? 1)) {
      return rateLimitError(provider, spec.retryAfterMs, undefined);
    }
    return undefined;
  }
}

function refusedError(provider: string): ProviderError {
  return new ProviderError(`connection to ${provider} refused (simulated outage)`, {
    kind: "transient",
    provider,
    vendorCode: "ECONNREFUSED",
  });
}

function quotaError(provider: string): ProviderError {
  return new ProviderError(`${provider} answered 429: quota exhausted (simulated)`, {
    kind: "quota_exhausted",
    provider,
    status: 429,
    vendorCode: "insufficient_quota",
  });
}

function rateLimitError(
  provider: string,
  retryAfterMs: number | undefined,
  capacityPerSecond: number | undefined,
): ProviderError {
  const over = capacityPerSecond === undefined ? "" : ` over ${capacityPerSecond} calls/s`;
  const wait = retryAfterMs === undefined ? "" : `, retry after ${retryAfterMs} ms`;
  return new ProviderError(`${provider} answered 429: rate limited${over} (simulated${wait})`, {
    kind: "rate_limited",
    provider,
    status: 429,
    retryAfterMs,
    vendorCode: "rate_limit_exceeded",
  });
}

function statusError(provider: string, status: number): ProviderError {
  return new ProviderError(`${provider} answered ${status} (simulated)`, {
    kind: kindOfStatus(status),
    provider,
    status,
  });
}

/** The error a cut stream ends with. */
export function streamCutError(provider: string, afterMs: number): ProviderError {
  return new ProviderError(
    `stream from ${provider} cut after ${Math.round(afterMs)} ms (simulated)`,
    { kind: "transient", provider, vendorCode: "ECONNRESET" },
  );
}
