import { randomUUID } from "node:crypto";
import type { BodyLimits } from "./read-json-body.js";

/** Request headers by lower-case name: a web `Headers` is one, and so is a Node request's view. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

/** The events of a response stream, as text; the exchange writes each one as it comes. */
export type EventSource = AsyncGenerator<string, void, undefined>;

/**
 * One request and its answer, whatever server carries them. The gateway's hot routes (chat and
 * embeddings) are written once against this: on the Node server it reads and writes the socket's
 * request and response directly (`NodeExchange`); anywhere else a Hono app runs, it speaks web
 * `Request` and `Response` (`WebExchange`).
 */
export interface Exchange {
  /** The inbound `x-request-id` when it has a sane shape, else a fresh UUID. */
  readonly requestId: string;
  readonly headers: HeaderSource;
  /**
   * Aborted when the client goes away before its answer is complete. Made on first read, so a route
   * that never passes it on pays nothing for it.
   */
  readonly signal: AbortSignal;
  /**
   * The body as JSON: a 413 over `maxBytes` (declared or counted), a 400 when malformed or nested
   * deeper than `maxDepth`.
   */
  readJson(limits: BodyLimits): Promise<unknown>;
  /**
   * Answers with JSON (a `JsonText` is sent as it is). Every answer also carries `x-request-id` and
   * `request-id`.
   */
  sendJson(status: number, body: unknown, headers?: Record<string, string>): void;
  /**
   * Answers 200 with a stream of events, written as they come. Returns at once; when the client goes
   * away the stream is closed (its `return()` runs), so a `finally` in it always runs.
   */
  sendStream(headers: Record<string, string>, events: EventSource): void;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A request's id: the inbound `x-request-id` when it has a sane shape, else a fresh UUID. */
export function requestIdFrom(inbound: string | null | undefined): string {
  return inbound && REQUEST_ID.test(inbound) ? inbound : randomUUID();
}

/** The headers every answer carries. */
export function requestIdHeaders(requestId: string): Record<string, string> {
  return { "x-request-id": requestId, "request-id": requestId };
}

/** JSON already serialized (an upstream's answer relayed as it came): sent without re-encoding. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The text of a JSON answer. */
export function jsonText(body: unknown): string {
  return body instanceof JsonText ? body.text : JSON.stringify(body);
}
