import { kindOfStatus } from "../../engine/classify-error.js";
import type { ErrorKind } from "../../errors/error-kind.js";
import type { MockErrorKind, PreparedReply } from "./mock-vendor.js";

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

/** Reasoning tokens a reply's thinking stands for (a quarter of its characters, at least 1). */
export function mockReasoningTokens(reply: PreparedReply): number {
  return reply.thinking ? Math.max(1, Math.ceil(reply.thinking.text.length / 4)) : 0;
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

/** The mock's word for each kind the engine reads a status as (`kindOfStatus`). */
const MOCK_KIND_OF: Partial<Record<ErrorKind, MockErrorKind>> = {
  rate_limited: "rate_limit",
  quota_exhausted: "quota",
  auth: "auth",
  not_found: "not_found",
  transient: "server",
};

/**
 * What an HTTP status most likely means when a behaviour names only the status: the kind the engine
 * reads it as, in the mock's finer words where vendors word it apart (403 permission, 503 and 529
 * overloaded).
 */
export function mockKindForStatus(status: number): MockErrorKind {
  if (status === 403) return "permission";
  if (status === 503 || status === 529) return "overloaded";
  return MOCK_KIND_OF[kindOfStatus(status)] ?? "invalid_request";
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
