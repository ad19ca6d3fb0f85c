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

/**
 * Body fields a target cannot set: the upstream model is the target's `model`, and whether the answer
 * streams is the client's choice (the gateway reads the answer the way the client asked for it).
 */
const GATEWAY_BODY_FIELDS: Record<string, string> = {
  model: "the upstream model is the target's model; set it there",
  stream: "whether the answer streams is the client's choice",
};

const targetParamsSchema = z.record(z.string(), z.unknown()).superRefine((params, context) => {
  for (const [field, reason] of Object.entries(GATEWAY_BODY_FIELDS)) {
    if (params[field] !== undefined) {
      context.addIssue({
        code: "custom",
        path: [field],
        message: `params cannot set ${field}: ${reason}`,
      });
    }
  }
});

/** Headers the HTTP layer writes itself: a target cannot set them. */
const FRAMING_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
]);

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

const targetHeadersSchema = z
  .record(z.string(), z.string())
  .superRefine((headers, context) => {
    for (const header of Object.keys(headers)) {
      const message = !HEADER_NAME.test(header)
        ? "not a header name"
        : FRAMING_HEADERS.has(header.toLowerCase())
          ? "the HTTP layer sets this header itself"
          : undefined;
      if (message) context.addIssue({ code: "custom", path: [header], message });
    }
  })
  .transform((headers) =>
    Object.fromEntries(
      Object.entries(headers).map(([header, value]) => [header.toLowerCase(), value]),
    ),
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
    /** Merged into the upstream body after translation, in the target's own wire format. */
    params: targetParamsSchema.optional(),
    /** The target's `params` win over the client's fields instead of filling what is absent. */
    overrideParams: z.boolean().optional(),
    /** Upstream headers set after the provider's and the forwarded client headers; values are secrets. */
    headers: targetHeadersSchema.optional(),
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
  /** Opt-in: a content-policy refusal (error or answer) before the first output fails over. */
  contentFilterFallback: z.boolean().optional(),
  /** What a stream broken after its first byte does: end with an error, or continue on another target. */
  streamRecovery: strictObject({
    mode: z.enum(["fail", "continue"]).default("fail"),
    maxContinuations: z.number().int().min(1).max(5).default(1),
  }).optional(),
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
