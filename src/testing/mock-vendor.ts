import type { IncomingHttpHeaders } from "node:http";
import type { MockErrorKind } from "./mock-behaviour.js";
import type { PreparedReply } from "./prepare-mock-reply.js";

/**
 * The contract between the vendor-neutral mock server and each vendor's routes. A vendor module
 * recognises its requests and renders answers, stream frames and errors in its exact wire format;
 * the server decides what to send when (behaviours, delays, faults).
 */
export interface MockVendor {
  /** The routes this vendor serves (`"<vendor>.<endpoint>"`). */
  readonly routes: readonly string[];
  /** The route that serves this request, or `undefined` if it is not this vendor's. */
  match(method: string, path: string, headers: IncomingHttpHeaders): MockRouteMatch | undefined;
  /** An HTTP error answer in the vendor's format (status, body, rate-limit headers). */
  renderError(error: ResolvedMockError, context: MockRequestContext): RenderedResponse;
  /** The in-stream error event (one complete frame) of a streaming route. */
  renderErrorEvent(error: ResolvedMockError, context: MockRequestContext): string;
  /** The vendor's status for a kind when the behaviour gave none (e.g. 529 for overloaded). */
  statusFor(kind: MockErrorKind): number;
  /**
   * Answers what the vendor answers before any scripted behaviour: refusals of requests it checks
   * first (credentials, signatures, required query parameters) and its own side routes (a token
   * endpoint). `undefined` lets the request through to its behaviour; an intercepted request uses
   * none.
   */
  intercept?(
    context: MockRequestContext,
  ): RenderedResponse | undefined | Promise<RenderedResponse | undefined>;
}

export interface MockRouteMatch {
  route: string;
  handler: MockRouteHandler;
  /** Values taken from the path, e.g. `{ model }`. */
  params: Readonly<Record<string, string>>;
}

export interface MockRouteHandler {
  /** Whether the request asked for a streamed answer. */
  wantsStream(context: MockRequestContext): boolean;
  /** A complete non-streaming 200 answer. */
  renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse;
  /**
   * The frames of a streamed answer, in order. With `terminal: false` the vendor's closing events
   * (finish reason, usage, `[DONE]`, `message_stop`, ...) are left out.
   */
  renderStream?(
    reply: PreparedReply,
    context: MockRequestContext,
    terminal: boolean,
  ): StreamFrame[];
  /** Response headers of a streamed answer (content type and the vendor's usual headers). */
  streamHeaders?(context: MockRequestContext): Record<string, string>;
  /** A frame whose data is not valid JSON. */
  malformedFrame?(context: MockRequestContext): string;
  /**
   * How stream frame text is turned into bytes; default `utf8`. A binary stream (AWS event stream)
   * renders its frames as `latin1` text, one character per byte.
   */
  streamEncoding?: BufferEncoding;
}

/** One frame of a stream: complete wire text (`data: ...\n\n`); `content` if it carries output. */
export interface StreamFrame {
  text: string;
  content: boolean;
}

export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface MockRequestContext {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or `undefined`. */
  readonly body: unknown;
  /** The body as sent (for signatures), or `undefined` when there was none. */
  readonly rawBody: string | undefined;
  readonly params: Readonly<Record<string, string>>;
}

/** A `MockErrorSpec` with its blanks filled: the vendor renders exactly this. */
export interface ResolvedMockError {
  status: number;
  kind: MockErrorKind;
  /** The behaviour's message, or `undefined` for the vendor's own wording. */
  message: string | undefined;
  retryAfterSeconds: number | undefined;
}
