import type { MockErrorKind } from "./mock-vendor.js";

/** Small vendor-neutral helpers the vendors' mock routes share. */

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` random letters and digits (not cryptographic: ids only need to differ). */
export function randomId(length: number): string {
  let id = "";
  for (let index = 0; index < length; index++) {
    id += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
  }
  return id;
}

/** Random lowercase hex digits, for request ids and fingerprints. */
export function randomHex(length: number): string {
  let hex = "";
  for (let index = 0; index < length; index++) hex += Math.floor(Math.random() * 16).toString(16);
  return hex;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function stringField(value: unknown, key: string): string | undefined {
  const field = asRecord(value)?.[key];
  return typeof field === "string" ? field : undefined;
}

/** What an HTTP status most likely means when a behaviour names only the status. */
export function kindForStatus(status: number): MockErrorKind {
  switch (status) {
    case 401:
      return "auth";
    case 402:
      return "quota";
    case 403:
      return "permission";
    case 404:
      return "not_found";
    case 429:
      return "rate_limit";
    case 503:
    case 529:
      return "overloaded";
    default:
      return status >= 500 ? "server" : "invalid_request";
  }
}

/** The status most vendors answer a kind with; vendors override where they differ. */
export function commonStatusFor(kind: MockErrorKind): number {
  switch (kind) {
    case "rate_limit":
    case "quota":
      return 429;
    case "overloaded":
      return 503;
    case "server":
      return 500;
    case "auth":
      return 401;
    case "permission":
      return 403;
    case "not_found":
      return 404;
    default:
      return 400;
  }
}

/**
 * A deterministic unit vector for `text`: the same text always gets the same embedding, different
 * texts almost always differ.
 */
export function mockEmbedding(text: string, dimensions: number): number[] {
  let state = 2166136261;
  for (let index = 0; index < text.length; index++) {
    state = Math.imul(state ^ text.charCodeAt(index), 16777619) >>> 0;
  }
  const vector: number[] = new Array(dimensions);
  let sumOfSquares = 0;
  for (let index = 0; index < dimensions; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const value = state / 4294967296 - 0.5;
    vector[index] = value;
    sumOfSquares += value * value;
  }
  const norm = Math.sqrt(sumOfSquares) || 1;
  for (let index = 0; index < dimensions; index++) {
    vector[index] = Math.fround((vector[index] ?? 0) / norm);
  }
  return vector;
}

/** One Server-Sent Events frame: optional `event:` line, one `data:` line, a blank line. */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}

/** `decodeURIComponent` that leaves text with broken escapes as it is. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
