/**
 * Every engine option a configuration can hold, once: its name, scope, type, default and meaning.
 * The engine's defaults and validation are derived from this table, and so are the gateway's config
 * schema, its defaults, its merge of `defaults:` / model / target, its mapping to the engine, and the
 * checks of the docs. Options that are objects or functions supplied in code (`classify`, `clock`,
 * `random`, `cacheStore`, `sharedState`, a call's `signal` or `selector`) are not here.
 */

/**
 * Where an option applies: `factory` (one engine; in the gateway one per model), `target` (each
 * registered provider; its value for the factory is every target's default), or `call` (each call).
 */
export type OptionScope = "factory" | "target" | "call";

/** The engine's own small vocabulary of option types (it depends on no schema library). */
export type OptionType =
  /** A whole number `>= min`. */
  | { readonly kind: "count"; readonly min: number }
  /** Milliseconds, `>= min`. */
  | { readonly kind: "duration"; readonly min: number }
  /** A number from 0 to 1. */
  | { readonly kind: "ratio" }
  /** Any number `>= min`. */
  | { readonly kind: "number"; readonly min: number }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  /**
   * A mapping of fields. `off`: `false` turns the feature off. `whole`: a value replaces an earlier
   * one entirely (else a later level changes only the fields it names).
   */
  | {
      readonly kind: "object";
      readonly fields: Readonly<Record<string, OptionField>>;
      readonly off: boolean;
      readonly whole: boolean;
    };

export type OptionValue = number | string | boolean;

export interface OptionField {
  readonly type: OptionType;
  /**
   * The engine's default; absent: none (no limit, the feature off). For an object, `true` means on
   * with its fields' defaults, and absent means off.
   */
  readonly default?: OptionValue;
  /** The gateway's default where a server needs another one (a per-attempt timeout, a deadline). */
  readonly serverDefault?: OptionValue;
  /** A field that must be given whenever its object is. */
  readonly required?: boolean;
  /** One line: what it does. */
  readonly doc: string;
}

export interface OptionSpec extends OptionField {
  readonly scope: OptionScope;
}

export const STRATEGIES = [
  "priority",
  "weighted",
  "round-robin",
  "least-latency",
  "least-cost",
  "least-busy",
] as const;

export type StrategyName = (typeof STRATEGIES)[number];

const count = (min: number) => ({ kind: "count", min }) as const;
const duration = (min = 0) => ({ kind: "duration", min }) as const;
const ratio = { kind: "ratio" } as const;
const mapping = <Fields extends Readonly<Record<string, OptionField>>>(
  fields: Fields,
  { off = false, whole = false } = {},
) => ({ kind: "object", fields, off, whole }) as const;

/** The engine's options. Order is the order of the docs. */
export const ENGINE_OPTIONS = {
  failureThreshold: {
    scope: "target",
    type: count(1),
    default: 5,
    doc: "Consecutive failures that open a target's circuit.",
  },
  recoveryTimeoutMs: {
    scope: "target",
    type: duration(),
    default: 60_000,
    doc: "How long a circuit stays open before a half-open trial.",
  },
  maxRecoveryTimeoutMs: {
    scope: "target",
    type: duration(),
    default: 600_000,
    doc: "Cap on the open time, which doubles after each failed trial; at least recoveryTimeoutMs.",
  },
  halfOpenRequests: {
    scope: "target",
    type: count(1),
    default: 2,
    doc: "Trial calls admitted at once while half-open; that many successes close the circuit.",
  },
  failureRateThreshold: {
    scope: "target",
    type: ratio,
    doc: "When set, the circuit opens on the failure rate over a rolling window instead.",
  },
  failureRateWindowMs: {
    scope: "target",
    type: duration(),
    default: 60_000,
    doc: "The rolling window of the failure-rate mode.",
  },
  minimumCalls: {
    scope: "target",
    type: count(1),
    default: 10,
    doc: "Calls needed in the window before the failure rate is judged.",
  },
  slowCallMs: {
    scope: "target",
    type: duration(),
    doc: "A success slower than this counts as a failure for the breaker.",
  },
  healthCheckIntervalMs: {
    scope: "factory",
    type: duration(1),
    default: 60_000,
    doc: "How often targets are health-checked in the background.",
  },
  healthCheckTimeoutMs: {
    scope: "factory",
    type: duration(1),
    default: 10_000,
    doc: "A probe slower than this counts as unhealthy.",
  },
  retry: {
    scope: "target",
    type: mapping({
      maxAttempts: {
        type: count(1),
        default: 2,
        doc: "Attempts per target within a call, the first included (1: no retry).",
      },
      baseDelayMs: {
        type: duration(),
        default: 100,
        doc: "Backoff before the first retry; later ones grow from it.",
      },
      maxDelayMs: {
        type: duration(),
        default: 2_000,
        doc: "Cap on one backoff delay; at least baseDelayMs.",
      },
    }),
    default: true,
    doc: "Retries on the same target before moving on.",
  },
  retryBudget: {
    scope: "factory",
    type: mapping(
      {
        ratio: {
          type: ratio,
          default: 0.2,
          doc: "Retries allowed as a share of calls over the window.",
        },
        windowMs: {
          type: duration(1),
          default: 10_000,
          doc: "The window the ratio is counted over.",
        },
        minPerSecond: {
          type: { kind: "number", min: 0 },
          default: 3,
          doc: "Retries always allowed per second, whatever the ratio.",
        },
      },
      { off: true },
    ),
    default: true,
    doc: "Caps retries across all calls so an outage is not multiplied; false: no cap.",
  },
  rateLimitCooldownMs: {
    scope: "target",
    type: duration(),
    default: 1_000,
    doc: "How long a target rests after a rate limit that named no wait.",
  },
  quotaCooldownMs: {
    scope: "target",
    type: duration(),
    default: 3_600_000,
    doc: "How long a target rests after its quota or billing is exhausted; caps a vendor's wait too.",
  },
  authCooldownMs: {
    scope: "target",
    type: duration(),
    default: 600_000,
    doc: "How long a target rests after the vendor rejected its credentials (401/403).",
  },
  maxCooldownMs: {
    scope: "target",
    type: duration(),
    default: 300_000,
    doc: "Cap on a rest a vendor asks for (retry-after) after a rate limit, overload or auth failure.",
  },
  maxRetryAfterWaitMs: {
    scope: "factory",
    type: duration(),
    default: 2_000,
    doc: "When nothing else is left, the longest a call waits for a rate-limited target.",
  },
  minAttemptMs: {
    scope: "factory",
    type: duration(),
    default: 5,
    doc: "No attempt starts with less than this left of the call's deadline.",
  },
  explorationRatio: {
    scope: "factory",
    type: ratio,
    default: 0.05,
    doc: "Share of least-latency calls that try a random target first, so a recovered one is measured.",
  },
  timeoutMs: {
    scope: "target",
    type: duration(),
    serverDefault: 60_000,
    doc: "Time limit of one attempt (the call's deadlineMs still applies).",
  },
  deadlineMs: {
    scope: "call",
    type: duration(),
    serverDefault: 120_000,
    doc: "Time limit of the whole call: every attempt, backoff, hedge and wait.",
  },
  maxConcurrency: {
    scope: "target",
    type: count(1),
    doc: "In-flight calls allowed per target (unlimited when unset).",
  },
  adaptiveConcurrency: {
    scope: "target",
    type: mapping(
      {
        maxLimit: { type: count(1), required: true, doc: "The limit never goes above this." },
        minLimit: { type: count(1), default: 1, doc: "The limit never goes below this." },
        initialLimit: { type: count(1), doc: "Where the limit starts (maxLimit when unset)." },
        backoffRatio: {
          type: ratio,
          default: 0.5,
          doc: "Multiplicative decrease on a rate limit or overload.",
        },
        latencyTolerance: {
          type: { kind: "number", min: 1 },
          default: 2,
          doc: "Latency above this multiple of the no-load latency counts as overload.",
        },
      },
      { whole: true },
    ),
    doc: "An AIMD concurrency limit per target, within minLimit..maxLimit (off when unset).",
  },
  queueTimeoutMs: {
    scope: "target",
    type: duration(),
    default: 0,
    doc: "How long a call waits for a free slot on a full target; 0 skips it at once.",
  },
  hedge: {
    scope: "call",
    type: mapping(
      {
        delayMs: {
          type: duration(),
          required: true,
          serverDefault: 8_000,
          doc: "How long an attempt runs before a hedge starts.",
        },
        maxExtra: { type: count(0), default: 1, doc: "Most extra attempts in flight per call." },
      },
      { off: true },
    ),
    serverDefault: false,
    doc: "When an attempt is slow, start another on the next candidate and take the first answer.",
  },
  cache: {
    scope: "call",
    type: mapping(
      {
        ttlMs: {
          type: duration(),
          required: true,
          serverDefault: 0,
          doc: "How long an answer is reused; 0 turns the cache off.",
        },
        staleIfErrorMs: {
          type: duration(),
          default: 0,
          doc: "How long past ttlMs an answer may still be served when every target fails.",
        },
      },
      { off: true },
    ),
    serverDefault: true,
    doc: "Reuse of answers to identical requests.",
  },
  strategy: {
    scope: "factory",
    type: { kind: "enum", values: STRATEGIES },
    default: "priority",
    doc: "How targets are ordered.",
  },
} as const satisfies Readonly<Record<string, OptionSpec>>;

export type EngineOptionName = keyof typeof ENGINE_OPTIONS;

export const ENGINE_OPTION_NAMES = Object.keys(ENGINE_OPTIONS) as EngineOptionName[];

/** The options of one scope, in table order. */
export function optionsOfScope(...scopes: readonly OptionScope[]): EngineOptionName[] {
  return ENGINE_OPTION_NAMES.filter((name) => scopes.includes(ENGINE_OPTIONS[name].scope));
}

/**
 * The default of an option or field: the engine's, or with `server` the gateway's. An object that is
 * on by default gets its fields' defaults; `undefined` means none.
 */
export function defaultOf(option: OptionField, server = false): unknown {
  const value =
    server && option.serverDefault !== undefined ? option.serverDefault : option.default;
  if (option.type.kind !== "object" || value !== true) return value;
  return fieldDefaults(option.type, server);
}

/** The defaults of a mapping's fields (those that have one). */
export function fieldDefaults(
  type: Extract<OptionType, { kind: "object" }>,
  server = false,
): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(type.fields)) {
    const value = defaultOf(field, server);
    if (value !== undefined) filled[name] = value;
  }
  return filled;
}
