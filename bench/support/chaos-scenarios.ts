import { answerText, type ChaosUpstreams, keyIdOf } from "./chaos-upstreams.js";

export const CHAOS_SCENARIOS = [
  "outage",
  "flapping",
  "brownout",
  "rateLimitStorm",
  "quotaExhaustedKey",
  "random5xx",
  "streamCuts",
] as const;
export type ChaosScenarioName = (typeof CHAOS_SCENARIOS)[number];

export interface FaultWindow {
  startMs: number;
  endMs: number;
}

export interface ChaosTimingOptions {
  /** Whole scenario, ms. The fault runs from 20% to 67% of it (flapping: on and off within that). */
  durationMs: number;
  /** A browned-out primary's time to answer. */
  brownoutDelayMs: number;
  /** Seed of the random 5xx. */
  seed: number;
}

export interface ChaosScenario {
  name: ChaosScenarioName;
  description: string;
  /** Whether the clients stream (the stream-cut scenario) or not. */
  stream: boolean;
  /** Who misbehaves, as answers name it: `primary` (any key) or `primary:a` (one key). */
  faulty: string | undefined;
  /** Primary key ids (the quota scenario has a pool of two). */
  primaryKeys: readonly string[];
  /** When the fault is on, ms from the scenario's start. */
  windows: FaultWindow[];
  /** A provider stays healthy throughout: the 99.9% success target applies. */
  oneProviderHealthy: boolean;
  /** Turns the fault on or off. */
  apply(upstreams: ChaosUpstreams, on: boolean): Promise<void>;
}

/** Mulberry32: a small seeded generator, so every run injects the same 5xx sequence. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function chaosScenario(name: ChaosScenarioName, timing: ChaosTimingOptions): ChaosScenario {
  const { durationMs } = timing;
  const fault: FaultWindow = {
    startMs: Math.round(durationMs * 0.2),
    endMs: Math.round(durationMs * 0.667),
  };
  const base = {
    name,
    stream: false,
    faulty: "primary",
    primaryKeys: ["a"],
    windows: [fault],
    oneProviderHealthy: true,
  };
  switch (name) {
    case "outage":
      return {
        ...base,
        description:
          "the primary's server is closed (connection refused), then started again on its port",
        apply: (upstreams, on) => (on ? upstreams.stopPrimary() : upstreams.restartPrimary()),
      };
    case "flapping": {
      // Down, up, down, up... in steps of durationMs / 7.5 (2 s in a 15 s scenario).
      const stepMs = Math.round(durationMs / 7.5);
      const windows: FaultWindow[] = [];
      for (let at = fault.startMs; at < fault.endMs; at += 2 * stepMs) {
        windows.push({ startMs: at, endMs: at + stepMs });
      }
      return {
        ...base,
        description: `the primary answers 503 for ${stepMs} ms, then works for ${stepMs} ms, and again`,
        windows,
        apply: async (upstreams, on) => {
          upstreams.faults.primary = on ? () => ({ error: { kind: "overloaded" } }) : undefined;
        },
      };
    }
    case "brownout":
      return {
        ...base,
        description: `the primary takes ${timing.brownoutDelayMs} ms per answer, without errors`,
        apply: async (upstreams, on) => {
          upstreams.faults.primary = on
            ? (request) => ({
                reply: { text: answerText(`primary:${keyIdOf(request)}`) },
                headersDelayMs: timing.brownoutDelayMs,
              })
            : undefined;
        },
      };
    case "rateLimitStorm":
      return {
        ...base,
        description: "the primary answers every request 429 with retry-after: 1",
        apply: async (upstreams, on) => {
          upstreams.faults.primary = on
            ? () => ({ error: { kind: "rate_limit", retryAfterSeconds: 1 } })
            : undefined;
        },
      };
    case "quotaExhaustedKey":
      return {
        ...base,
        description:
          "the primary has a pool of two keys; key a's requests answer insufficient_quota",
        faulty: "primary:a",
        primaryKeys: ["a", "b"],
        apply: async (upstreams, on) => {
          upstreams.faults.primary = on
            ? (request) => (keyIdOf(request) === "a" ? { error: { kind: "quota" } } : undefined)
            : undefined;
        },
      };
    case "random5xx": {
      const random = seededRandom(timing.seed);
      const rule = () => (random() < 0.05 ? { error: { kind: "server" as const } } : undefined);
      return {
        ...base,
        description: "5% of the answers of every provider are 500s",
        faulty: undefined,
        oneProviderHealthy: false,
        apply: async (upstreams, on) => {
          upstreams.faults.primary = on ? rule : undefined;
          upstreams.faults.fallback = on ? rule : undefined;
        },
      };
    }
    case "streamCuts":
      return {
        ...base,
        description: "the primary's streams are cut (socket destroyed) after 3 of 10 deltas",
        stream: true,
        apply: async (upstreams, on) => {
          upstreams.faults.primary = on
            ? (request) => ({
                fault: "cut",
                afterChunks: 3,
                reply: { text: answerText(`primary:${keyIdOf(request)}`) },
              })
            : undefined;
        },
      };
  }
}
