import { z } from "zod";
import { budgetSchema, rateLimitSchema } from "../../config/client-schema.js";
import { strictObject, text } from "../../config/schema-helpers.js";
import { describeZodIssue } from "../protocols/describe-zod-issue.js";

/** A time as epoch milliseconds or an ISO date-time. */
const time = z.union([z.number(), z.string()]).transform((value, context) => {
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (Number.isInteger(ms) && ms > 0) return ms;
  context.addIssue({ code: "custom", message: "must be an ISO date-time or epoch milliseconds" });
  return z.NEVER;
});

const limits = {
  models: z.array(text()).optional(),
  rateLimit: rateLimitSchema.optional(),
  budget: budgetSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
};

/** Fields a PATCH may clear with `null`. */
const clearableLimits = {
  models: z.array(text()).nullable().optional(),
  rateLimit: rateLimitSchema.nullable().optional(),
  budget: budgetSchema.nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
};

export const createKeySchema = strictObject({
  name: text(),
  ...limits,
  team: text().optional(),
  expiresAt: time.optional(),
});

export const updateKeySchema = strictObject({
  name: text().optional(),
  ...clearableLimits,
  team: text().nullable().optional(),
  expiresAt: time.nullable().optional(),
});

export const rotateKeySchema = strictObject({
  gracePeriodMs: z.number().int().min(0).optional(),
});

export const createTeamSchema = strictObject({ name: text(), ...limits });

export const updateTeamSchema = strictObject({ name: text().optional(), ...clearableLimits });

export type CreateKeyInput = z.output<typeof createKeySchema>;
export type UpdateKeyInput = z.output<typeof updateKeySchema>;
export type CreateTeamInput = z.output<typeof createTeamSchema>;
export type UpdateTeamInput = z.output<typeof updateTeamSchema>;

/** Bad admin input: the field it names and what is wrong with it (answered as a 400). */
export class AdminInputError extends Error {
  constructor(
    message: string,
    readonly param: string | undefined,
  ) {
    super(message);
    this.name = "AdminInputError";
  }
}

/** Parses an admin request body; throws an `AdminInputError` naming the first bad field. */
export function parseAdminInput<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): z.output<Schema> {
  const result = schema.safeParse(body ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new AdminInputError("the body is not valid", undefined);
  if (issue.code === "unrecognized_keys") {
    const field = [...issue.path, issue.keys[0] ?? ""].join(".");
    throw new AdminInputError(`${field}: unknown field`, field);
  }
  const described = describeZodIssue(issue);
  const field = described.path.map(String).join(".");
  if (!field) throw new AdminInputError(`the body ${described.problem}`, undefined);
  throw new AdminInputError(`${field}: ${described.problem}`, field);
}
