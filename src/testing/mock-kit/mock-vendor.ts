import type { IncomingHttpHeaders } from "node:http";

/**
 * The contract between the vendor-neutral mock server and each vendor's routes. A vendor module
 * recognises its requests and renders answers, stream frames and errors in its exact wire format;
 * the server decides what to send when (behaviours, delays, faults).
 *
 * A vendor's mock lives in `providers/<vendor>/mock/`, imports only this kit (`testing/mock-kit/`),
 * its own mock folder and the model below (llm, engine, errors), and is listed in
 * `testing/builtin-mock-vendors.ts`, the one file of the mock server that imports vendor mocks.
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

/** What a vendor said went wrong; each vendor renders it with its own status, body and headers. */
export type MockErrorKind =
  | "rate_limit"
  | "quota"
  | "overloaded"
  | "server"
  | "auth"
  | "permission"
  | "not_found"
  | "context_length"
  | "invalid_request"
  | "content_filter";

export const MOCK_ERROR_KINDS: readonly MockErrorKind[] = [
  "rate_limit",
  "quota",
  "overloaded",
  "server",
  "auth",
  "permission",
  "not_found",
  "context_length",
  "invalid_request",
  "content_filter",
];

/** A `MockReply` with defaults applied and stream deltas cut: what vendors render from. */
export interface PreparedReply {
  text: string;
  /** The text as stream deltas (empty when there is no text). */
  textChunks: string[];
  toolCalls: PreparedToolCall[];
  finishReason: "stop" | "length" | "tool_calls" | "content_filter";
  /** The vendor's own finish reason to write instead of the mapped one. */
  rawFinishReason: string | undefined;
  usage: {
    inputTokens: number;
    outputTokens: number;
    cachedInputTokens: number;
    cacheWriteTokens: number;
  };
  thinking: { text: string; signature: string } | undefined;
  /** Whether the behaviour set `usage.inputTokens` (embeddings count their inputs otherwise). */
  inputTokensGiven: boolean;
  /** The model to name; `undefined` means the model the request named. */
  model: string | undefined;
  embeddings: number[][] | undefined;
  dimensions: number;
  models: string[] | undefined;
}

export interface PreparedToolCall {
  id: string | undefined;
  name: string;
  /** The arguments as JSON text. */
  arguments: string;
  /** The arguments text as stream deltas. */
  argumentChunks: string[];
  /** The arguments as an object (for vendors that send objects). */
  input: Record<string, unknown>;
}
