import type { IncomingHttpHeaders } from "node:http";
import type { BuiltinMockRoute } from "./builtin-mock-vendors.js";
import type { MockErrorKind } from "./mock-kit/mock-vendor.js";

/**
 * A route of the mock provider server: `<vendor>.<endpoint>`, e.g. `"openai.chat"`. Requests that
 * match no route are answered 404 and recorded as `"unmatched"`.
 */
export type MockRoute = BuiltinMockRoute;

export interface MockToolCall {
  /** Default: a fresh id in the vendor's format (`call_...`, `toolu_...`; none for Gemini). */
  id?: string;
  name: string;
  /** JSON text or an object; text must parse to a JSON object. */
  arguments: string | Record<string, unknown>;
}

export interface MockUsage {
  /** Default 10. */
  inputTokens?: number;
  /** Default: a quarter of the characters of text and tool arguments, at least 1. */
  outputTokens?: number;
  /** Input tokens read from the prompt cache, counted within `inputTokens`. Default 0. */
  cachedInputTokens?: number;
  /**
   * Input tokens written to the prompt cache (Anthropic's `cache_creation_input_tokens`), counted
   * within `inputTokens`. Default 0.
   */
  cacheWriteTokens?: number;
}

/** A reasoning block the answer opens with: its text and the vendor's signature over it. */
export interface MockThinking {
  text: string;
  signature: string;
}

/** A canned answer, rendered in the vendor's native format for whichever route it answers. */
export interface MockReply {
  /** Default: `"Hello from the mock provider."` when there are no tool calls, `""` otherwise. */
  text?: string;
  toolCalls?: MockToolCall[];
  /** Normalised; each vendor writes its own value. Default `tool_calls` with tool calls, else `stop`. */
  finishReason?: "stop" | "length" | "tool_calls" | "content_filter";
  /** The vendor's own finish reason, written as is (e.g. `"stop_sequence"`); overrides `finishReason`. */
  rawFinishReason?: string;
  usage?: MockUsage;
  /**
   * Reasoning the answer opens with, in each vendor's form: Anthropic thinking blocks, Responses
   * reasoning items, OpenAI-format `reasoning_content`, Gemini thoughts (when the request asks) and
   * thought signatures. Counted as reasoning tokens (a quarter of its characters) within output.
   */
  thinking?: MockThinking;
  /** Default: the model the request named. */
  model?: string;
  /** Embeddings routes: the vectors, one per input (reused in turn when there are more inputs). */
  embeddings?: number[][];
  /** Embeddings routes: the size of generated vectors when `embeddings` is not given (default 8). */
  dimensions?: number;
  /** Models routes: the model ids to list (default: a few of the vendor's current models). */
  models?: string[];
}

export interface MockErrorSpec {
  /** Default: the vendor's status for `kind` (e.g. 429 for `rate_limit`, Anthropic's 529 for `overloaded`). */
  status?: number;
  /** Default: derived from `status` (401 `auth`, 429 `rate_limit`, 503 `overloaded`, other 5xx `server`, ...). */
  kind?: MockErrorKind;
  /** Default: the vendor's own wording for the kind. */
  message?: string;
  /** Written the vendor's way: `retry-after` headers, or Gemini's `RetryInfo` detail. */
  retryAfterSeconds?: number;
}

/** A `content-encoding` the mock can compress an answer with. */
export type MockContentEncoding = "gzip" | "br" | "deflate";

export const MOCK_CONTENT_ENCODINGS: readonly MockContentEncoding[] = ["gzip", "br", "deflate"];

/** Timing and shape options every behaviour accepts. */
export interface MockResponseOptions {
  /** Extra response headers (they override the vendor's own). */
  headers?: Record<string, string>;
  /** Compress the body (replies, errors, streams and faults) and say so in `content-encoding`. */
  contentEncoding?: MockContentEncoding;
  /** Wait before the status line is written. Default 0. */
  headersDelayMs?: number;
  /** Streams: wait after the headers, before the first chunk. Default 0. */
  firstChunkDelayMs?: number;
  /** Streams: wait before each later chunk. Default 0. */
  chunkDelayMs?: number;
  /** Streams: split text and tool arguments into deltas of this many characters. */
  chunkSize?: number;
  /** Streams: split text and each tool's arguments into this many deltas. Default: text by words. */
  chunks?: number;
}

export interface MockReplyBehaviour extends MockResponseOptions {
  reply: MockReply;
}

export interface MockErrorBehaviour extends MockResponseOptions {
  error: MockErrorSpec;
}

/**
 * Faults. A "chunk" is one content delta of a stream (text or tool arguments) together with the
 * vendor's framing events written before it; `afterChunks: 0` means the headers and nothing else.
 * `reply` shapes the content streamed before the fault. On a non-streaming request, `cut` and
 * `stall` send half of the body, `malformed-json` and `no-terminal` send half of it and end
 * cleanly, and `error-event` answers with the plain error response.
 */
export type MockFault =
  /** Destroys the socket (TCP reset) before any response byte. */
  | { fault: "reset" }
  /** Streams `afterChunks` chunks, then destroys the socket. */
  | { fault: "cut"; afterChunks: number }
  /** Streams `afterChunks` chunks, then sends nothing more and keeps the connection open. */
  | { fault: "stall"; afterChunks: number }
  /** A body that is not JSON; on a stream, a bad data line after `afterChunks` chunks (default 0). */
  | { fault: "malformed-json"; afterChunks?: number }
  /** The stream ends cleanly without the vendor's terminal events (after `afterChunks`, default all). */
  | { fault: "no-terminal"; afterChunks?: number }
  /** A 200 stream that carries the vendor's in-stream error event after `afterChunks` chunks. */
  | {
      fault: "error-event";
      afterChunks: number;
      kind?: MockErrorKind;
      status?: number;
      message?: string;
    }
  /** Headers, then nothing, forever (until the client goes or the server closes). */
  | { fault: "never-end" }
  /**
   * A 200 whose body is `bytes` long (before any `contentEncoding`: with gzip, a compressed bomb):
   * a JSON object with one long string, or on a stream one event of that size. Sent as fast as the
   * client reads.
   */
  | { fault: "huge-body"; bytes: number }
  /**
   * A 200 that never ends: a JSON body whose string never closes, or on a stream the reply's
   * content events over and over. Sent as fast as the client reads.
   */
  | { fault: "endless" };

export type MockFaultName = MockFault["fault"];

export type MockFaultBehaviour = MockFault & MockResponseOptions & { reply?: MockReply };

/** One scripted answer to one request. */
export type MockBehaviour = MockReplyBehaviour | MockErrorBehaviour | MockFaultBehaviour;

/** A behaviour, or a function that picks one from the request it answers. */
export type MockBehaviourSource = MockBehaviour | ((request: MockRecordedRequest) => MockBehaviour);

export interface MockRecordedRequest {
  route: MockRoute | "unmatched";
  method: string;
  /** The path without the query string. */
  path: string;
  /** The request target as sent, query string included. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; `undefined` without a body, the raw text when it is not JSON. */
  body: unknown;
  /** The body exactly as it arrived. */
  rawBody: string | undefined;
  /** The response body as written, piece by piece (a stream's writes in order); filled as it goes. */
  sent: string[];
  /** `Date.now()` when the request's body had arrived. */
  at: number;
}

export interface MockServerStats {
  total: number;
  inFlight: number;
  maxInFlight: number;
  byRoute: Partial<Record<MockRoute | "unmatched", number>>;
}

export const DEFAULT_MOCK_TEXT = "Hello from the mock provider.";

export const DEFAULT_MOCK_BEHAVIOUR: MockBehaviour = { reply: { text: DEFAULT_MOCK_TEXT } };
