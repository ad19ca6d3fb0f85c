import { z } from "zod";
import { isCredentialHeaderName } from "./credential-header.js";
import {
  AZURE_TYPE,
  BEDROCK_TYPE,
  CHAT_APIS,
  COMPATIBLE_TYPE,
  MODULE_TYPE,
  PROVIDER_PRESETS,
  PROVIDER_TYPES,
  type ProviderType,
  RESPONSES_API_TYPES,
  VERTEX_TYPE,
} from "./provider-kinds.js";
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

/** A key entry: `key` for API-key vendors, an AWS access key pair for `bedrock`. */
const keySchema = strictObject({
  key: text().optional(),
  accessKeyId: text().optional(),
  secretAccessKey: text().optional(),
  sessionToken: text().optional(),
  id: identifier().optional(),
  weight: nonNegative().default(1),
  priority: number().optional(),
  maxConcurrency: count(1).optional(),
  rpm: count(1).optional(),
  tpm: count(1).optional(),
});

/** Microsoft Entra ID for `azure-openai`: a client secret, or the host's managed identity. */
const azureAuthSchema = z.discriminatedUnion("type", [
  strictObject({
    type: z.literal("entra"),
    tenantId: text(),
    clientId: text(),
    clientSecret: text(),
    /** The authority host (Azure sovereign clouds, or a test server). */
    authorityHost: url(["http:", "https:"]).optional(),
  }),
  strictObject({
    type: z.literal("managed-identity"),
    /** A user-assigned identity's client id; the system-assigned identity when absent. */
    clientId: text().optional(),
  }),
]);

/** Where `vertex` takes its OAuth2 tokens: a service-account key file, or application defaults. */
const vertexCredentialsSchema = strictObject({ file: text() });

/** Fields that belong to one provider type only, and the types that take them. */
const TYPE_FIELDS: Record<string, readonly ProviderType[]> = {
  preset: [COMPATIBLE_TYPE],
  apiVersion: [AZURE_TYPE],
  deployments: [AZURE_TYPE],
  auth: [AZURE_TYPE],
  region: [BEDROCK_TYPE],
  project: [VERTEX_TYPE],
  location: [VERTEX_TYPE],
  credentials: [VERTEX_TYPE],
  module: [MODULE_TYPE],
  options: [MODULE_TYPE],
};

/** Fields a type cannot do without. */
const REQUIRED_FIELDS: Partial<Record<ProviderType, readonly string[]>> = {
  [AZURE_TYPE]: ["baseUrl"],
  [BEDROCK_TYPE]: ["region"],
  [VERTEX_TYPE]: ["project", "location"],
  [MODULE_TYPE]: ["module"],
};

const AWS_KEY_FIELDS = ["accessKeyId", "secretAccessKey", "sessionToken"] as const;

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
  apiVersion: text().optional(),
  deployments: z.record(z.string(), text()).optional(),
  auth: azureAuthSchema.optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { error: "must be an AWS region such as us-east-1" })
    .optional(),
  project: text().optional(),
  location: z
    .string()
    .regex(/^[a-z0-9-]+$/, { error: "must be a location such as europe-west1 or global" })
    .optional(),
  credentials: vertexCredentialsSchema.optional(),
  module: text().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
})
  .superRefine((provider, context) => {
    const fields = provider as Record<string, unknown>;
    for (const [field, types] of Object.entries(TYPE_FIELDS)) {
      if (fields[field] !== undefined && !types.includes(provider.type)) {
        context.addIssue({
          code: "custom",
          path: [field],
          message: `only ${types.join(", ")} providers take ${field === "preset" ? "a preset" : field} (this one is ${provider.type})`,
        });
      }
    }
    for (const field of REQUIRED_FIELDS[provider.type] ?? []) {
      if (fields[field] === undefined) {
        context.addIssue({
          code: "custom",
          path: [field],
          message: `a ${provider.type} provider needs ${field}`,
        });
      }
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
    if (provider.auth !== undefined && provider.keys.length > 0) {
      context.addIssue({
        code: "custom",
        path: ["auth"],
        message: "give keys or auth, not both",
      });
    }
    if (provider.type === VERTEX_TYPE && provider.keys.length > 0) {
      context.addIssue({
        code: "custom",
        path: ["keys"],
        message: `a ${VERTEX_TYPE} provider takes credentials (a key file, or application default credentials), not keys`,
      });
    }
    provider.keys.forEach((entry, index) => {
      checkKeyShape(provider.type, entry, index, context);
    });
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

/** `bedrock` keys are AWS access key pairs; every other type's are a `key`. */
function checkKeyShape(
  type: ProviderType,
  entry: z.output<typeof keySchema>,
  index: number,
  context: z.RefinementCtx,
): void {
  const issue = (field: string, message: string) =>
    context.addIssue({ code: "custom", path: ["keys", index, field], message });
  if (type === BEDROCK_TYPE) {
    if (entry.key !== undefined) {
      issue("key", "a bedrock key is an accessKeyId and a secretAccessKey (and a sessionToken)");
    }
    if (entry.accessKeyId === undefined) issue("accessKeyId", "a bedrock key needs accessKeyId");
    if (entry.secretAccessKey === undefined) {
      issue("secretAccessKey", "a bedrock key needs secretAccessKey");
    }
    return;
  }
  for (const field of AWS_KEY_FIELDS) {
    if (entry[field] !== undefined) issue(field, `only bedrock keys take ${field}`);
  }
  if (entry.key === undefined) issue("key", "a key entry needs key");
}

/** The id of a key entry that names none: `key-1` for the first, by its place in the file. */
export function defaultKeyId(index: number): string {
  return `key-${index + 1}`;
}

export type ProviderConfig = z.output<typeof providerSchema>;
export type ProviderKeyConfig = ProviderConfig["keys"][number];
