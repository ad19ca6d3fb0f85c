import { z } from "zod";
import {
  boolean,
  count,
  nonNegative,
  positive,
  ratio,
  strictObject,
  text,
} from "../config/schema-helpers.js";
import { describe } from "../config/zod-problems.js";
import { parseDuration } from "./duration-text.js";

/** A time: milliseconds, or text with a unit (`500ms`, `90s`, `10m`, `1h`). */
function time() {
  return z.unknown().transform((value, context) => {
    const ms = parseDuration(value);
    if (ms !== undefined) return ms;
    context.addIssue({
      code: "custom",
      message:
        value === undefined
          ? "required"
          : `expected milliseconds or a time with a unit (500ms, 90s, 10m, 1h), got ${describe([], value)}`,
    });
    return z.NEVER;
  });
}

export type LatencySpec =
  | { kind: "fixed"; ms: number }
  | { kind: "lognormal"; medianMs: number; p99Ms: number };

const latencyObject = strictObject({
  fixedMs: time().optional(),
  medianMs: time().optional(),
  p99Ms: time().optional(),
});

/** `250` (fixed), `{ fixedMs: 250 }`, or `{ medianMs: 800, p99Ms: 4000 }` (lognormal). */
const latencySchema = z
  .preprocess(
    (value) =>
      typeof value === "number" || typeof value === "string" ? { fixedMs: value } : value,
    latencyObject,
  )
  .superRefine((spec, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    if (spec.fixedMs !== undefined) {
      if (spec.medianMs !== undefined)
        issue("medianMs", "give either fixedMs or medianMs, not both");
      if (spec.p99Ms !== undefined) issue("p99Ms", "give either fixedMs or p99Ms, not both");
      return;
    }
    if (spec.medianMs === undefined) issue("medianMs", "required (or give fixedMs)");
    else if (spec.p99Ms === undefined) issue("p99Ms", "required with medianMs");
    else if (spec.p99Ms < spec.medianMs) {
      issue("p99Ms", `must be at least medianMs (${spec.medianMs}), got ${spec.p99Ms}`);
    } else if (spec.medianMs <= 0) issue("medianMs", "must be greater than 0 for a lognormal");
  })
  .transform(
    (spec): LatencySpec =>
      spec.fixedMs !== undefined
        ? { kind: "fixed", ms: spec.fixedMs }
        : { kind: "lognormal", medianMs: spec.medianMs ?? 0, p99Ms: spec.p99Ms ?? 0 },
  );

/** When a fault is active: `[from, to)`, optionally only the first `activeMs` of every `periodMs`. */
const windowShape = {
  from: time().optional(),
  to: time().optional(),
  periodMs: time().optional(),
  activeMs: time().optional(),
};

export const FAULT_TYPES = [
  "outage",
  "errorRate",
  "rateLimit",
  "slowdown",
  "quotaExhausted",
  "streamCut",
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

const faultSchema = z
  .looseObject({ type: z.enum(FAULT_TYPES) })
  .pipe(
    z.discriminatedUnion("type", [
      strictObject({
        type: z.literal("outage"),
        ...windowShape,
        mode: z.enum(["refused", "hang"]).default("refused"),
      }),
      strictObject({
        type: z.literal("errorRate"),
        ...windowShape,
        rate: ratio(),
        status: count(400, 599).default(500),
      }),
      strictObject({
        type: z.literal("rateLimit"),
        ...windowShape,
        rate: ratio().optional(),
        capacityPerSecond: positive().optional(),
        retryAfterMs: time().optional(),
      }),
      strictObject({
        type: z.literal("slowdown"),
        ...windowShape,
        factor: nonNegative().default(1),
        addMs: time().default(0),
      }),
      strictObject({ type: z.literal("quotaExhausted"), ...windowShape }),
      strictObject({ type: z.literal("streamCut"), ...windowShape, rate: ratio() }),
    ]),
  )
  .superRefine((fault, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    if (fault.from !== undefined && fault.to !== undefined && fault.to <= fault.from) {
      issue("to", `must be after from (${fault.from} ms), got ${fault.to} ms`);
    }
    if ((fault.periodMs === undefined) !== (fault.activeMs === undefined)) {
      issue(
        fault.periodMs === undefined ? "periodMs" : "activeMs",
        "periodMs and activeMs go together",
      );
    } else if (fault.periodMs !== undefined && fault.activeMs !== undefined) {
      if (fault.periodMs <= 0) issue("periodMs", "must be greater than 0");
      else if (fault.activeMs > fault.periodMs) {
        issue("activeMs", `must be at most periodMs (${fault.periodMs}), got ${fault.activeMs}`);
      }
    }
  });

export type FaultSpec = z.output<typeof faultSchema>;

const profileSchema = strictObject({
  latency: latencySchema.optional(),
  errorLatency: latencySchema.optional(),
  firstChunkRatio: ratio().optional(),
  faults: z.array(faultSchema).default([]),
});

export type ProfileSpec = z.output<typeof profileSchema>;

const trafficSchema = strictObject({
  rate: nonNegative().optional(),
  schedule: z
    .array(strictObject({ from: time(), rate: nonNegative() }))
    .min(1)
    .optional(),
  models: z.record(z.string(), positive()).optional(),
  streaming: ratio().default(0),
  inputTokens: count(0).default(1000),
  outputTokens: count(0).default(300),
}).superRefine((traffic, context) => {
  if (traffic.rate === undefined && traffic.schedule === undefined) {
    context.addIssue({ code: "custom", path: ["rate"], message: "required (or give a schedule)" });
  } else if (traffic.rate !== undefined && traffic.schedule !== undefined) {
    context.addIssue({
      code: "custom",
      path: ["schedule"],
      message: "give either rate or schedule, not both",
    });
  }
  traffic.schedule?.forEach((step, index) => {
    const previous = index > 0 ? traffic.schedule?.[index - 1] : undefined;
    if (previous && step.from <= previous.from) {
      context.addIssue({
        code: "custom",
        path: ["schedule", index, "from"],
        message: `must be after the previous step's from (${previous.from} ms), got ${step.from} ms`,
      });
    }
  });
});

export type TrafficSpec = z.output<typeof trafficSchema>;

/** A whole scenario file. */
export const scenarioSchema = strictObject({
  name: text().optional(),
  description: text().optional(),
  seed: count(0, 4_294_967_295).default(1),
  durationMs: time(),
  bucketMs: time().optional(),
  healthChecks: boolean().default(true),
  traffic: trafficSchema,
  providers: z.record(z.string(), profileSchema).default({}),
}).superRefine((scenario, context) => {
  if (scenario.durationMs <= 0) {
    context.addIssue({ code: "custom", path: ["durationMs"], message: "must be greater than 0" });
  }
  if (scenario.bucketMs !== undefined && scenario.bucketMs <= 0) {
    context.addIssue({ code: "custom", path: ["bucketMs"], message: "must be greater than 0" });
  }
});

export type Scenario = z.output<typeof scenarioSchema>;
