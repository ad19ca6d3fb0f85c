import { z } from "zod";
import {
  checkEngineOrder,
  engineOptionShape,
  MODEL_ONLY_KEYS,
  targetOptionShape,
} from "./engine-options-schema.js";
import { CHAT_APIS, VERTEX_PUBLISHERS } from "./provider-kinds.js";
import { duration, name, nonNegative, number, strictObject, text } from "./schema-helpers.js";

const perTargetHints = Object.fromEntries(
  MODEL_ONLY_KEYS.map((key) => [
    key,
    `${key} applies to a whole call or model, so it cannot be set per target; set it on the model or in defaults`,
  ]),
);

const targetSchema = strictObject(
  {
    provider: text(),
    model: text(),
    priority: number().optional(),
    weight: nonNegative().default(1),
    cost: nonNegative().optional(),
    /** The chat API this target is called through; overrides its provider's `api`. */
    api: z.enum(CHAT_APIS).optional(),
    /** Only for `vertex` providers: who publishes the model, instead of judging by its name. */
    publisher: z.enum(VERTEX_PUBLISHERS).optional(),
    /** Whether a stream continuation asks this target with an assistant prefill (default: its adapter's). */
    prefill: z.boolean().optional(),
    ...targetOptionShape,
  },
  perTargetHints,
).superRefine(checkEngineOrder);

export const modelSchema = strictObject({
  name: name(),
  targets: targetSchema.array().min(1),
  /** Opt-in cache affinity: a client keeps calling this model through the same target for `ttlMs`. */
  affinity: strictObject({ ttlMs: duration(1) }).optional(),
  /** What a stream broken after its first byte does: end with an error, or continue on another target. */
  streamRecovery: strictObject({
    mode: z.enum(["fail", "continue"]).default("fail"),
    maxContinuations: z.number().int().min(1).max(5).default(1),
  }).optional(),
  ...engineOptionShape,
}).superRefine(checkEngineOrder);

export type ModelConfig = z.output<typeof modelSchema>;
export type TargetConfig = ModelConfig["targets"][number];
