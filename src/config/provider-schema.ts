import { z } from "zod";
import {
  CHAT_APIS,
  COMPATIBLE_TYPE,
  PROVIDER_PRESETS,
  PROVIDER_TYPES,
  RESPONSES_API_TYPES,
} from "./provider-kinds.js";
import { isCredentialHeaderName } from "./redact-config.js";
import {
  count,
  duration,
  identifier,
  name,
  nonNegative,
  number,
  strictObject,
  text,
  url,
} from "./schema-helpers.js";

const keySchema = strictObject({
  key: text(),
  id: identifier().optional(),
  weight: nonNegative().default(1),
  priority: number().optional(),
  maxConcurrency: count(1).optional(),
  rpm: count(1).optional(),
  tpm: count(1).optional(),
});

export const providerSchema = strictObject({
  name: identifier(),
  type: z.enum(PROVIDER_TYPES),
  preset: z.enum(PROVIDER_PRESETS).optional(),
  baseUrl: url(["http:", "https:"]).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  forwardHeaders: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "a header name")
        .refine((name) => !isCredentialHeaderName(name), {
          message: "credential headers are never forwarded",
        })
        .transform((name) => name.toLowerCase()),
    )
    .optional(),
  unsupportedFields: z.array(z.string().min(1)).optional(),
  passThrough: z.boolean().default(true),
  connectTimeoutMs: duration().optional(),
  firstByteTimeoutMs: duration().optional(),
  idleTimeoutMs: duration().optional(),
  maxConnections: count(1).optional(),
  api: z.enum(CHAT_APIS).optional(),
  maxResponseBytes: count(1).optional(),
  keys: z.array(keySchema).default([]),
  models: z.array(name()).optional(),
})
  .superRefine((provider, context) => {
    if (provider.preset !== undefined && provider.type !== COMPATIBLE_TYPE) {
      context.addIssue({
        code: "custom",
        path: ["preset"],
        message: `only ${COMPATIBLE_TYPE} providers take a preset (this one is ${provider.type})`,
      });
    }
    if (provider.api !== undefined && !RESPONSES_API_TYPES.includes(provider.type)) {
      context.addIssue({
        code: "custom",
        path: ["api"],
        message: `only ${RESPONSES_API_TYPES.join(" and ")} providers take api (this one is ${provider.type})`,
      });
    }
    if (
      provider.type === COMPATIBLE_TYPE &&
      provider.preset === undefined &&
      provider.baseUrl === undefined
    ) {
      context.addIssue({
        code: "custom",
        path: ["baseUrl"],
        message: `an ${COMPATIBLE_TYPE} provider needs a preset or a baseUrl`,
      });
    }
    const seen = new Map<string, number>();
    provider.keys.forEach((entry, index) => {
      const id = entry.id ?? defaultKeyId(index);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, index);
      else {
        context.addIssue({
          code: "custom",
          path: ["keys", index, entry.id === undefined ? "key" : "id"],
          message: `duplicate key id "${id}" (also keys[${first}])`,
        });
      }
    });
  })
  .transform((provider) => ({
    ...provider,
    keys: provider.keys.map((entry, index) => ({ ...entry, id: entry.id ?? defaultKeyId(index) })),
  }));

/** The id of a key entry that names none: `key-1` for the first, by its place in the file. */
export function defaultKeyId(index: number): string {
  return `key-${index + 1}`;
}

export type ProviderConfig = z.output<typeof providerSchema>;
export type ProviderKeyConfig = ProviderConfig["keys"][number];
