import fc from "fast-check";
import { STRATEGIES } from "./engine-defaults.js";
import { PROVIDER_PRESETS, PROVIDER_TYPES } from "./provider-kinds.js";

/** Test support: fast-check generators of valid config input (plain data, before defaults). */

type Data = Record<string, unknown>;

const identifier = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,11}$/);
/** Without `*`: a name with one is a wildcard model, with rules of its own (tested apart). */
const modelName = fc.stringMatching(/^[^\s*]{1,16}$/);
const text = fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" });
const durationMs = fc.nat({ max: 10_000_000 });
const fraction = fc.double({ min: 0, max: 1, noNaN: true }).map((value) => value + 0);
const price = fc.double({ min: 0, max: 1000, noNaN: true }).map((value) => value + 0);
const positive = fc.double({ min: 0.001, max: 1000, noNaN: true });
const count = fc.integer({ min: 1, max: 10_000 });

/** Two durations, base first, so a cap is never below its base. */
const orderedPair = fc
  .tuple(durationMs, durationMs)
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);

const retry = fc
  .record(
    {
      maxAttempts: fc.integer({ min: 1, max: 10 }),
      delays: fc.option(orderedPair, { nil: undefined }),
    },
    { requiredKeys: [] },
  )
  .map(({ maxAttempts, delays }) => ({
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    ...(delays === undefined ? {} : { baseDelayMs: delays[0], maxDelayMs: delays[1] }),
  }));

const breaker = fc.record(
  {
    failureThreshold: count,
    halfOpenRequests: count,
    failureRateThreshold: fraction,
    failureRateWindowMs: durationMs,
    minimumCalls: count,
    slowCallMs: durationMs,
    rateLimitCooldownMs: durationMs,
    quotaCooldownMs: durationMs,
    authCooldownMs: durationMs,
    retry,
    timeoutMs: durationMs,
    maxConcurrency: count,
    queueTimeoutMs: durationMs,
    recovery: orderedPair,
  },
  { requiredKeys: [] },
);

function withRecovery(options: Data): Data {
  const { recovery, ...rest } = options;
  if (!Array.isArray(recovery)) return rest;
  return { ...rest, recoveryTimeoutMs: recovery[0], maxRecoveryTimeoutMs: recovery[1] };
}

const targetOptions = breaker.map(withRecovery);

const modelOptions = fc
  .tuple(
    breaker,
    fc.record(
      {
        retryBudget: fc.oneof(
          fc.constant(false),
          fc.record(
            { ratio: fraction, windowMs: count, minPerSecond: price },
            { requiredKeys: [] },
          ),
        ),
        healthCheckIntervalMs: count,
        healthCheckTimeoutMs: count,
        maxRetryAfterWaitMs: durationMs,
        minAttemptMs: durationMs,
        explorationRatio: fraction,
        deadlineMs: durationMs,
        hedge: fc.oneof(
          fc.constant(false),
          fc.record({ delayMs: durationMs, maxExtra: fc.nat(3) }, { requiredKeys: [] }),
        ),
        cache: fc.record({ ttlMs: durationMs, staleIfErrorMs: durationMs }, { requiredKeys: [] }),
        strategy: fc.constantFrom(...STRATEGIES),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([options, callWide]) => ({ ...withRecovery(options), ...callWide }));

const keyEntry = fc.record(
  {
    key: text,
    id: fc.stringMatching(/^[a-z]{1,8}$/),
    weight: positive,
    priority: fc.nat(10),
    maxConcurrency: count,
    rpm: count,
    tpm: count,
  },
  { requiredKeys: ["key"] },
);

const provider = fc
  .record(
    {
      name: identifier,
      type: fc.constantFrom(...PROVIDER_TYPES),
      preset: fc.constantFrom(...PROVIDER_PRESETS),
      baseUrl: fc.webUrl({ validSchemes: ["http", "https"] }),
      headers: fc.dictionary(fc.stringMatching(/^X-[A-Za-z-]{1,10}$/), text, { maxKeys: 3 }),
      connectTimeoutMs: durationMs,
      firstByteTimeoutMs: durationMs,
      idleTimeoutMs: durationMs,
      maxConnections: count,
      keys: fc.uniqueArray(keyEntry, { maxLength: 3, selector: (entry) => entry.id ?? Symbol() }),
      models: fc.array(modelName, { maxLength: 3 }),
    },
    { requiredKeys: ["name", "type"] },
  )
  .map((value) => {
    const fixed: Data = { ...value };
    if (value.type !== "openai-compatible") delete fixed.preset;
    else if (value.preset === undefined && value.baseUrl === undefined) fixed.preset = "ollama";
    if (value.type === "azure-openai") fixed.baseUrl ??= "https://res.openai.azure.com";
    if (value.type === "bedrock") {
      fixed.region = "us-east-1";
      fixed.keys = (value.keys ?? []).map(({ key, ...rest }) => ({
        ...rest,
        accessKeyId: `AKIA${key}`,
        secretAccessKey: `${key}-secret`,
      }));
    }
    if (value.type === "vertex") {
      Object.assign(fixed, { project: "p", location: "us-central1" });
      delete fixed.keys;
    }
    if (value.type === "module") fixed.module = "./my-provider.js";
    return fixed;
  });

/** Test support: a random valid config, as a user might write it. */
export const validConfigInput: fc.Arbitrary<Data> = fc
  .uniqueArray(provider, { minLength: 1, maxLength: 4, selector: (entry) => entry.name })
  .chain((providers) => {
    const providerNames = providers.map((entry) => String(entry.name));
    const target = fc
      .tuple(
        fc.record(
          {
            provider: fc.constantFrom(...providerNames),
            model: text.filter((model) => !model.includes("*")),
            priority: fc.nat(10),
            weight: positive,
            cost: price,
          },
          { requiredKeys: ["provider", "model"] },
        ),
        targetOptions,
      )
      .map(([fields, options]) => ({ ...fields, ...options }));
    const model = fc
      .tuple(modelName, fc.array(target, { minLength: 1, maxLength: 3 }), modelOptions)
      .map(([name, targets, options]) => ({ name, targets, ...options }));
    return fc.tuple(
      fc.constant(providers),
      fc.uniqueArray(model, { maxLength: 3, selector: (entry) => entry.name }),
    );
  })
  .chain(([providers, models]) => {
    const known = [
      ...models.map((entry) => entry.name),
      ...providers.flatMap((entry) => (Array.isArray(entry.models) ? entry.models : [])),
    ];
    const client = fc.record(
      {
        name: modelName,
        secret: fc.oneof(
          text.map((key) => ({ key })),
          fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => ({ keyHash: `sha256:${hex}` })),
        ),
        models:
          known.length === 0
            ? fc.constant([])
            : fc.array(fc.constantFrom(...known), { maxLength: 3 }),
        rateLimit: fc.record({ rpm: count, tpm: count }, { requiredKeys: [] }),
        budget: fc.record(
          { usd: positive, period: fc.constantFrom("day", "month") },
          { requiredKeys: ["usd"] },
        ),
      },
      { requiredKeys: ["name", "secret"] },
    );
    const clients = fc
      .uniqueArray(client, { minLength: 1, maxLength: 3, selector: (entry) => entry.name })
      .map((list) =>
        list.map(({ secret, ...rest }, index) =>
          "key" in secret
            ? { ...rest, key: `client-${index}-${secret.key}` }
            : { ...rest, ...secret },
        ),
      );
    return fc.record(
      {
        server: fc.record(
          {
            host: text,
            port: fc.integer({ min: 0, max: 65_535 }),
            adminKey: text,
            maxBodyBytes: count,
            maxJsonDepth: count,
            cors: fc.oneof(fc.boolean(), fc.array(text, { maxLength: 2 })),
            shutdownGraceMs: durationMs,
            requestTimeoutMs: durationMs,
          },
          { requiredKeys: [] },
        ),
        defaults: modelOptions.map((options) => {
          // A recovery time above the default cap needs its own cap.
          const { recoveryTimeoutMs, maxRecoveryTimeoutMs, ...rest } = options as Data;
          return recoveryTimeoutMs === undefined
            ? rest
            : { ...rest, recoveryTimeoutMs, maxRecoveryTimeoutMs };
        }),
        providers: fc.constant(providers),
        models: fc.constant(models),
        clients,
        pricing: fc.dictionary(
          modelName.filter((key) => key !== "__proto__"),
          fc.record(
            { input: price, output: price, cachedInput: price },
            { requiredKeys: ["input", "output"] },
          ),
          { maxKeys: 3 },
        ),
        state: fc.record(
          { redis: fc.constantFrom("redis://127.0.0.1:6379", "rediss://u:p@h:1/0") },
          { requiredKeys: [] },
        ),
        database: fc.record({
          url: fc.constantFrom("sqlite:./s.db", "postgres://u:p@db/s", "postgresql://db/s"),
          storeContent: fc.boolean(),
        }),
        logging: fc.record({ level: fc.constantFrom("info", "debug", "silent") }),
      },
      { requiredKeys: ["providers", "models"] },
    );
  });
