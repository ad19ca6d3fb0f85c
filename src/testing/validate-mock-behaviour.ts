import { MOCK_CONTENT_ENCODINGS, type MockBehaviour } from "./mock-behaviour.js";
import { MOCK_ERROR_KINDS } from "./mock-kit/mock-vendor.js";
import { asRecord } from "./mock-kit/mock-wire-helpers.js";

const FAULTS = [
  "reset",
  "cut",
  "stall",
  "malformed-json",
  "no-terminal",
  "error-event",
  "never-end",
  "huge-body",
  "endless",
] as const;
const FAULTS_NEEDING_AFTER_CHUNKS = new Set(["cut", "stall", "error-event"]);
const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter"];
const DELAYS = ["headersDelayMs", "firstChunkDelayMs", "chunkDelayMs"] as const;

/**
 * Checks a behaviour before it is queued, so a mistake fails the test that made it with a precise
 * message rather than as an odd answer later. Throws `TypeError`.
 */
export function validateMockBehaviour(behaviour: unknown): asserts behaviour is MockBehaviour {
  const record = asRecord(behaviour);
  if (record === undefined) fail(`must be an object (got ${describe(behaviour)})`);
  const shapes = ["reply", "error", "fault"].filter((key) => record[key] !== undefined);
  const faultWithReply =
    shapes.length === 2 && shapes.includes("fault") && shapes.includes("reply");
  if (shapes.length !== 1 && !faultWithReply) {
    fail(`needs exactly one of reply, error or fault (got ${shapes.join(", ") || "none"})`);
  }
  for (const key of DELAYS) checkNumber(record[key], key, 0);
  checkInteger(record.chunkSize, "chunkSize", 1);
  checkInteger(record.chunks, "chunks", 1);
  if (record.chunkSize !== undefined && record.chunks !== undefined) {
    fail("takes chunkSize or chunks, not both");
  }
  if (record.headers !== undefined) {
    const headers = asRecord(record.headers);
    if (headers === undefined) fail(`headers must be an object (got ${describe(record.headers)})`);
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== "string")
        fail(`header ${name} must be a string (got ${describe(value)})`);
    }
  }
  if (
    record.contentEncoding !== undefined &&
    !MOCK_CONTENT_ENCODINGS.includes(record.contentEncoding as never)
  ) {
    fail(
      `contentEncoding must be one of ${MOCK_CONTENT_ENCODINGS.join(", ")} (got ${describe(record.contentEncoding)})`,
    );
  }
  if (record.reply !== undefined) validateReply(record.reply);
  if (record.error !== undefined) validateError(record.error, "error");
  if (record.fault !== undefined) validateFault(record);
}

function validateReply(value: unknown): void {
  const reply = asRecord(value);
  if (reply === undefined) fail(`reply must be an object (got ${describe(value)})`);
  if (reply.text !== undefined && typeof reply.text !== "string") {
    fail(`reply.text must be a string (got ${describe(reply.text)})`);
  }
  if (reply.model !== undefined && typeof reply.model !== "string") {
    fail(`reply.model must be a string (got ${describe(reply.model)})`);
  }
  if (reply.rawFinishReason !== undefined && typeof reply.rawFinishReason !== "string") {
    fail(`reply.rawFinishReason must be a string (got ${describe(reply.rawFinishReason)})`);
  }
  if (reply.finishReason !== undefined && !FINISH_REASONS.includes(String(reply.finishReason))) {
    fail(`reply.finishReason must be one of ${FINISH_REASONS.join(", ")}`);
  }
  if (reply.toolCalls !== undefined) {
    if (!Array.isArray(reply.toolCalls)) fail("reply.toolCalls must be an array");
    reply.toolCalls.forEach(validateToolCall);
  }
  if (reply.usage !== undefined) {
    const usage = asRecord(reply.usage);
    if (usage === undefined) fail("reply.usage must be an object");
    for (const key of ["inputTokens", "outputTokens", "cachedInputTokens", "cacheWriteTokens"]) {
      checkInteger(usage[key], `reply.usage.${key}`, 0);
    }
  }
  if (reply.thinking !== undefined) {
    const thinking = asRecord(reply.thinking);
    if (typeof thinking?.text !== "string" || typeof thinking.signature !== "string") {
      fail("reply.thinking must be { text, signature } (two strings)");
    }
  }
  checkInteger(reply.dimensions, "reply.dimensions", 1);
  if (reply.embeddings !== undefined) {
    const valid =
      Array.isArray(reply.embeddings) &&
      reply.embeddings.length > 0 &&
      reply.embeddings.every(
        (vector) =>
          Array.isArray(vector) &&
          vector.every((item) => typeof item === "number" && Number.isFinite(item)),
      );
    if (!valid) fail("reply.embeddings must be a non-empty array of arrays of finite numbers");
  }
  if (reply.models !== undefined) {
    const valid =
      Array.isArray(reply.models) && reply.models.every((model) => typeof model === "string");
    if (!valid) fail("reply.models must be an array of strings");
  }
}

function validateToolCall(value: unknown, index: number): void {
  const call = asRecord(value);
  const where = `reply.toolCalls[${index}]`;
  if (call === undefined) fail(`${where} must be an object (got ${describe(value)})`);
  if (typeof call.name !== "string" || call.name.length === 0) {
    fail(`${where}.name must be a non-empty string`);
  }
  if (call.id !== undefined && typeof call.id !== "string") fail(`${where}.id must be a string`);
  if (typeof call.arguments === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(call.arguments);
    } catch {
      fail(`${where}.arguments is not valid JSON: ${call.arguments.slice(0, 40)}`);
    }
    if (asRecord(parsed) === undefined) fail(`${where}.arguments must be a JSON object`);
  } else if (asRecord(call.arguments) === undefined) {
    fail(`${where}.arguments must be JSON text or an object`);
  }
}

function validateError(value: unknown, where: string): void {
  const error = asRecord(value);
  if (error === undefined) fail(`${where} must be an object (got ${describe(value)})`);
  if (error.status === undefined && error.kind === undefined) {
    fail(`${where} needs a status or a kind`);
  }
  checkInteger(error.status, `${where}.status`, 200);
  if (typeof error.status === "number" && error.status > 599) {
    fail(`${where}.status must be at most 599 (got ${error.status})`);
  }
  if (error.kind !== undefined && !MOCK_ERROR_KINDS.includes(error.kind as never)) {
    fail(
      `${where}.kind must be one of ${MOCK_ERROR_KINDS.join(", ")} (got ${describe(error.kind)})`,
    );
  }
  if (error.message !== undefined && typeof error.message !== "string") {
    fail(`${where}.message must be a string`);
  }
  checkNumber(error.retryAfterSeconds, `${where}.retryAfterSeconds`, 0);
}

function validateFault(record: Record<string, unknown>): void {
  const fault = record.fault;
  if (!FAULTS.includes(fault as never)) {
    fail(`fault must be one of ${FAULTS.join(", ")} (got ${describe(fault)})`);
  }
  if (FAULTS_NEEDING_AFTER_CHUNKS.has(fault as string) && record.afterChunks === undefined) {
    fail(`fault ${String(fault)} needs afterChunks`);
  }
  checkInteger(record.afterChunks, "afterChunks", 0);
  if (fault === "huge-body") {
    if (record.bytes === undefined) fail("fault huge-body needs bytes");
    checkInteger(record.bytes, "bytes", 1);
  }
  if (fault === "error-event") {
    validateError({ kind: record.kind ?? "server", status: record.status }, "error-event");
    if (record.message !== undefined && typeof record.message !== "string") {
      fail("error-event message must be a string");
    }
  }
}

function checkNumber(value: unknown, name: string, minimum: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < minimum) {
    fail(`${name} must be a number >= ${minimum} (got ${describe(value)})`);
  }
}

function checkInteger(value: unknown, name: string, minimum: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum) {
    fail(`${name} must be an integer >= ${minimum} (got ${describe(value)})`);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : typeof value === "object" ? "an object" : String(value);
}

function fail(message: string): never {
  throw new TypeError(`mock behaviour: ${message}`);
}
