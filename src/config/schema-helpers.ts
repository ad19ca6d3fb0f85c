import { z } from "zod";

/**
 * Marks the message of an `unrecognized_keys` issue raised by `strictObject`: what follows is JSON
 * naming the keys the object knows, so the problem can say "did you mean".
 */
export const KNOWN_KEYS_MARK = "\u0000known-keys:";

export interface KnownKeys {
  known: string[];
  /** Extra advice for keys that are real but not allowed here. */
  hints: Record<string, string>;
}

/** A `z.strictObject` whose unknown-key issues carry the known keys (see `KNOWN_KEYS_MARK`). */
export function strictObject<Shape extends z.ZodRawShape>(
  shape: Shape,
  hints: Record<string, string> = {},
) {
  const known: KnownKeys = { known: Object.keys(shape), hints };
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? KNOWN_KEYS_MARK + JSON.stringify(known) : undefined,
  });
}

const NUMERIC_TEXT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Text from an interpolated `${VAR}` is always a string; numeric settings accept numeric text. */
function textToNumber(value: unknown): unknown {
  return typeof value === "string" && NUMERIC_TEXT.test(value) ? Number(value) : value;
}

function textToBoolean(value: unknown): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}

/** A finite number; numeric text such as "8787" is accepted too. */
export function number() {
  return z.preprocess(textToNumber, z.number());
}

/** A number of milliseconds, `>= minimum` (0 unless said). */
export function duration(minimum = 0) {
  return z.preprocess(textToNumber, z.number().min(minimum));
}

/** A whole number from `minimum` to `maximum`. */
export function count(minimum = 1, maximum = Number.MAX_SAFE_INTEGER) {
  return z.preprocess(textToNumber, z.int().min(minimum).max(maximum));
}

/** A number from 0 to 1. */
export function ratio() {
  return z.preprocess(textToNumber, z.number().min(0).max(1));
}

/** A number `>= minimum`. */
export function atLeast(minimum: number) {
  return z.preprocess(textToNumber, z.number().min(minimum));
}

/** A number `>= 0`, such as a price. */
export function nonNegative() {
  return z.preprocess(textToNumber, z.number().min(0));
}

/** A number `> 0`, such as a weight. */
export function positive() {
  return z.preprocess(textToNumber, z.number().positive());
}

/** `true` or `false` (or that text, from an interpolated variable). */
export function boolean() {
  return z.preprocess(textToBoolean, z.boolean());
}

/** `false` (or "false") to turn a feature off, or its options. */
export function falseOr<Schema extends z.ZodType>(schema: Schema, what: string) {
  return z.preprocess(
    textToBoolean,
    z.union([z.literal(false), schema], { error: `expected ${what} or false` }),
  );
}

/** A non-empty string. */
export function text() {
  return z.string().min(1);
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A provider name or key id: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export function identifier() {
  return z.string().min(1).regex(NAME, {
    error: "must be letters, digits, '.', '_' or '-', starting with a letter or digit",
  });
}

/** A model or client name: any text without spaces. */
export function name() {
  return z.string().min(1).regex(/^\S+$/, { error: "must not contain spaces" });
}

/** A URL with one of the given protocols (`["http:", "https:"]`). */
export function url(protocols: readonly string[]) {
  const list = protocols.map((protocol) => `${protocol}//`).join(" or ");
  return z.string().refine((value) => hasProtocol(value, protocols), {
    error: `must be a ${list} URL`,
  });
}

export function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
