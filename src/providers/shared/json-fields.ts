/**
 * The one set of narrowing helpers for reading vendor JSON typed as `unknown`, for every adapter:
 * `as*` narrow a value, `read*` narrow a field of a record.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

/** The array, or an empty one when the value is not an array (absent, null, another type). */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A finite number, or undefined (absent, null, NaN or not a number). */
export function asNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function readRecord(record: JsonRecord, key: string): JsonRecord | undefined {
  return asRecord(record[key]);
}

export function readString(record: JsonRecord, key: string): string | undefined {
  return asString(record[key]);
}

export function readNumber(record: JsonRecord, key: string): number | undefined {
  return asNumber(record[key]);
}

export function readArray(record: JsonRecord, key: string): unknown[] | undefined {
  const value = record[key];
  return Array.isArray(value) ? value : undefined;
}
