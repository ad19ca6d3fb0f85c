import { z } from "zod";
import {
  checkEngineOrder,
  engineOptionShape,
  MODEL_ONLY_KEYS,
  targetOptionShape,
} from "./engine-options-schema.js";
import { starCount } from "./model-pattern.js";
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
    ...targetOptionShape,
  },
  perTargetHints,
).superRefine(checkEngineOrder);

export const modelSchema = strictObject({
  name: name(),
  targets: targetSchema.array().min(1),
  /** Opt-in cache affinity: a client keeps calling this model through the same target for `ttlMs`. */
  affinity: strictObject({ ttlMs: duration(1) }).optional(),
  ...engineOptionShape,
})
  .superRefine(checkEngineOrder)
  .superRefine(checkWildcards);

/**
 * A wildcard model: one `*` in its name, anywhere; a target's model may use `*` (replaced by what the
 * name's `*` matched) only when the name has one.
 */
function checkWildcards(
  model: { name: string; targets: readonly { model: string }[] },
  context: z.RefinementCtx,
): void {
  const stars = starCount(model.name);
  if (stars > 1) {
    context.addIssue({
      code: "custom",
      path: ["name"],
      message: `a model name may have one "*" (got ${stars})`,
    });
  }
  if (stars > 0) return;
  model.targets.forEach((target, index) => {
    if (!target.model.includes("*")) return;
    context.addIssue({
      code: "custom",
      path: ["targets", index, "model"],
      message: `"*" in a target's model stands for what the model name's "*" matched, but the name "${model.name}" has none`,
    });
  });
}

export type ModelConfig = z.output<typeof modelSchema>;
export type TargetConfig = ModelConfig["targets"][number];
