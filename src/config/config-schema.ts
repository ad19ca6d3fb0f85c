import { z } from "zod";
import { alertSchema } from "./alert-schema.js";
import { clientSchema } from "./client-schema.js";
import { engineDefaultsSchema } from "./engine-options-schema.js";
import { modelSchema } from "./model-schema.js";
import { providerSchema } from "./provider-schema.js";
import {
  boolean,
  count,
  duration,
  hasProtocol,
  nonNegative,
  strictObject,
  text,
  url,
} from "./schema-helpers.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const serverSchema = strictObject({
  host: text().default("127.0.0.1"),
  port: count(0, 65_535).default(8787),
  adminKey: text().optional(),
  maxBodyBytes: count(1).default(33_554_432),
  maxJsonDepth: count(1).default(100),
  cors: z
    .union([boolean(), z.array(text())], { error: "expected true, false or a list of origins" })
    .default(false),
  shutdownGraceMs: duration().default(30_000),
  requestTimeoutMs: duration().optional(),
  /** `GET /metrics`: on its own port without auth when `port` is set, else admin-key protected. */
  metrics: strictObject({ port: count(0, 65_535).optional() }).optional(),
});

const priceSchema = strictObject({
  input: nonNegative(),
  output: nonNegative(),
  cachedInput: nonNegative().optional(),
});

const databaseSchema = strictObject({
  url: z.string().refine(isDatabaseUrl, {
    error: "must be a postgres://, postgresql:// or sqlite:<file> URL",
  }),
  storeContent: boolean().default(false),
  keyPollIntervalMs: duration(10).default(500),
});

function isDatabaseUrl(value: string): boolean {
  if (value.startsWith("sqlite:")) return value.length > "sqlite:".length;
  return hasProtocol(value, ["postgres:", "postgresql:"]);
}

/** The whole `switchyard.yaml`. */
export const configSchema = strictObject({
  server: serverSchema.prefault({}),
  defaults: engineDefaultsSchema.prefault({}),
  providers: z.array(providerSchema).min(1),
  models: z.array(modelSchema).default([]),
  clients: z.array(clientSchema).min(1).optional(),
  pricing: z.record(z.string(), priceSchema).default({}),
  state: strictObject({ redis: url(["redis:", "rediss:"]).optional() }).optional(),
  database: databaseSchema.optional(),
  logging: strictObject({ level: z.enum(LOG_LEVELS).default("info") }).prefault({}),
  /** Webhooks told about outages and spending (circuits, exhausted models, cooldowns, budgets). */
  alerts: z.array(alertSchema).default([]),
  /** Stored Responses API responses (`POST /v1/responses` with `store`). */
  responses: strictObject({
    store: boolean().default(true),
    ttlMs: duration(1).default(2_592_000_000),
    maxStoredInMemory: count(1).default(10_000),
  }).prefault({}),
});

/** A validated config with every default filled in. */
export type SwitchyardConfig = z.output<typeof configSchema>;
export type ServerConfig = SwitchyardConfig["server"];
