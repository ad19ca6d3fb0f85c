import { z } from "zod";
import { count, name, positive, strictObject, text } from "./schema-helpers.js";

/** `sha256:` and 64 hex digits: the SHA-256 of the client's key. */
export const KEY_HASH_PATTERN = /^sha256:[0-9a-fA-F]{64}$/;

/** A request rate limit (clients, runtime keys and teams). */
export const rateLimitSchema = strictObject({ rpm: count(1).optional(), tpm: count(1).optional() });

/** A spending limit per period (clients, runtime keys and teams). */
export const budgetSchema = strictObject({
  usd: positive(),
  period: z.enum(["day", "month"]).default("month"),
});

export const clientSchema = strictObject({
  name: name(),
  key: text().optional(),
  keyHash: z
    .string()
    .regex(KEY_HASH_PATTERN, { error: 'must be "sha256:" followed by 64 hex digits (got ***)' })
    .transform((hash) => hash.toLowerCase())
    .optional(),
  models: z.array(text()).optional(),
  rateLimit: rateLimitSchema.optional(),
  budget: budgetSchema.optional(),
}).superRefine((client, context) => {
  if (client.key === undefined && client.keyHash === undefined) {
    context.addIssue({
      code: "custom",
      path: [],
      message: "a client needs a key or a keyHash",
    });
  } else if (client.key !== undefined && client.keyHash !== undefined) {
    context.addIssue({
      code: "custom",
      path: ["keyHash"],
      message: "give a client a key or a keyHash, not both",
    });
  }
});

export type ClientConfig = z.output<typeof clientSchema>;
