import type { Dispatcher } from "undici";
import type { Cancellation } from "../../engine/provider.js";
import type { ProviderError } from "../../errors/provider-error.js";
import { bodyText } from "./body-text.js";
import { contentCodings } from "./decode-content.js";
import { DecodedResponse } from "./decoded-response.js";
import type { HttpResponse } from "./http-response.js";
import { mapNetworkError, type NetworkTimeouts } from "./map-network-error.js";
import { parseJsonText } from "./parse-json-text.js";
import { parseSse, type SseEvents } from "./parse-sse.js";
import { type ResponseLimit, responseTooLargeError } from "./response-limit.js";

/** Queued body bytes above which the socket is paused until the reader catches up. */
const MAX_QUEUED_BYTES = 1 << 20;

/**
 * What is left of a body after its reader stopped early (a stream's reader returns at the protocol's
 * end event, which the server sends before the end of the HTTP body) is read and dropped when it ends
 * within these: the connection then stays open for the next request, rather than a new connection
 * (and, to a real upstream, a new TLS handshake) for every stream. A body that goes on past either
 * is cut and its connection closed.
 */
export const DRAIN_MAX_BYTES = 16_384;
const DRAIN_MAX_MS = 100;

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * One request and its response, on undici's dispatcher API directly: no Node streams, no per-request
 * AbortController. Resolves at the response headers, then hands the body to exactly one reader
 * (iteration, `text()` or `json()`), pausing the socket when an iterating reader falls behind.
 *
 * Time limits run on precise timers (undici's own header and body timeouts are coarse, about one
 * second, and stay as a backstop): the first-byte limit until the headers, and the idle limit only
 * while the reader waits on the server. Cancellation rethrows its `abortReason`; network faults
 * become classified ProviderErrors.
 *
 * What is buffered is bounded by `maxBytes`: a whole body read by `text()` or `json()`, and one
 * event of `events()`; past it the read fails as a `transient` fault and the socket is closed. A
 * body sent with a `content-encoding` is answered by a `DecodedResponse` over this exchange.
 */
export class HttpExchange implements Dispatcher.DispatchHandler, HttpResponse {
  status = 0;
  readonly body: AsyncIterable<Uint8Array> = this;
  #rawHeaders: Record<string, string | string[] | undefined> = {};
  #headers: Record<string, string> | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #abortReason: Error | undefined;
  #timeoutError: ProviderError | undefined;
  #firstByteTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #started: Waiter<HttpResponse> | undefined;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #collectedBytes = 0;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #reader: Waiter<IteratorResult<Uint8Array>> | undefined;
  #collector: Waiter<Buffer> | undefined;
  #waiting = false;
  #consumed = false;
  #released = false;
  /** Bytes the body may still send after the reader stopped early (see `DRAIN_MAX_BYTES`). */
  #drainLeft: number | undefined;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  #stopWatching: (() => void) | undefined;

  constructor(
    private readonly cancellation: Cancellation,
    private readonly provider: string,
    private readonly href: string,
    private readonly timeouts: NetworkTimeouts,
    private readonly maxBytes: number,
  ) {}

  /** Sends the request; resolves with this exchange as the response once the headers are in. */
  start(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      this.#started = { resolve, reject };
      this.#stopWatching = this.cancellation.onAbort(this.#onCallerAbort);
      this.#firstByteTimer = setTimeout(this.#onFirstByteTimeout, this.timeouts.firstByteTimeoutMs);
      try {
        dispatcher.dispatch(options, this);
      } catch (error) {
        this.#fail(error);
      }
    });
  }

  get headers(): Record<string, string> {
    this.#headers ??= normaliseHeaders(this.#rawHeaders);
    return this.#headers;
  }

  // --- undici's handler ---------------------------------------------------------------------

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // Informational (the real answer follows), or too late: the exchange already failed.
    if (statusCode < 200 || this.#failure !== undefined) return;
    clearTimeout(this.#firstByteTimer);
    this.status = statusCode;
    this.#rawHeaders = headers;
    this.#idleTimer = setTimeout(this.#onIdleTimeout, this.timeouts.idleTimeoutMs);
    const started = this.#started;
    this.#started = undefined;
    // undici gives lower-case names; the normalised headers are only built if someone asks.
    const encoding = headers["content-encoding"];
    const codings =
      encoding === undefined
        ? []
        : contentCodings(Array.isArray(encoding) ? encoding.join(", ") : encoding);
    started?.resolve(codings.length === 0 ? this : new DecodedResponse(this, codings, this.limit));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#failure !== undefined) return;
    if (this.#drainLeft !== undefined) {
      this.#drainLeft -= chunk.length;
      if (this.#drainLeft < 0) this.#cut();
      return;
    }
    if (this.#collector !== undefined) {
      this.#idleTimer?.refresh();
      this.#collectedBytes += chunk.length;
      if (this.#collectedBytes > this.maxBytes) {
        this.#abort(responseTooLargeError(this.limit, "response body"));
        return;
      }
      this.#queue.push(chunk);
      return;
    }
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      this.#waiting = false;
      reader.resolve({ done: false, value: chunk });
      return;
    }
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > MAX_QUEUED_BYTES && !controller.paused) controller.pause();
  }

  onResponseEnd(): void {
    if (this.#failure !== undefined) return;
    this.#ended = true;
    this.#release();
    const collector = this.#collector;
    if (collector !== undefined) {
      this.#collector = undefined;
      collector.resolve(concat(this.#queue));
      this.#queue = [];
      return;
    }
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      reader.resolve({ done: true, value: undefined });
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error);
  }

  // --- the response body ----------------------------------------------------------------------

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#claim();
    return {
      next: () => this.#next(),
      return: async () => {
        this.#stopReading();
        return { done: true, value: undefined };
      },
    };
  }

  async text(): Promise<string> {
    return bodyText(await this.#readAll());
  }

  async json(): Promise<unknown> {
    return parseJsonText(await this.text(), {
      provider: this.provider,
      what: "response body",
      status: this.status,
    });
  }

  events(): SseEvents {
    return parseSse(this, this.limit);
  }

  /** The size limit, as errors name it. */
  get limit(): ResponseLimit {
    return { provider: this.provider, maxBytes: this.maxBytes, status: this.status };
  }

  #claim(): void {
    if (this.#consumed) {
      throw new Error(`${this.provider}: response body of ${this.href} was already read`);
    }
    this.#consumed = true;
  }

  #next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      this.#queuedBytes -= chunk.length;
      const controller = this.#controller;
      if (controller?.paused && this.#queuedBytes <= MAX_QUEUED_BYTES / 2) controller.resume();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.#reader = { resolve, reject };
      this.#waiting = true;
      this.#idleTimer?.refresh();
    });
  }

  #readAll(): Promise<Buffer> {
    try {
      this.#claim();
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#ended) {
      const all = concat(this.#queue);
      this.#queue = [];
      if (all.length > this.maxBytes) {
        return Promise.reject(responseTooLargeError(this.limit, "response body"));
      }
      return Promise.resolve(all);
    }
    this.#collectedBytes = this.#queuedBytes;
    if (this.#collectedBytes > this.maxBytes) {
      const error = responseTooLargeError(this.limit, "response body");
      this.#abort(error);
      return Promise.reject(error);
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.#collector = { resolve, reject };
      this.#waiting = true;
      this.#idleTimer?.refresh();
      this.#controller?.resume();
    });
  }

  /**
   * The reader left early. If the body is still coming it is read and dropped for a short while, so
   * that a body that was about to end keeps its connection (see `DRAIN_MAX_BYTES`); a cancelled
   * exchange, or one that goes on, is cut at once or then.
   */
  #stopReading(): void {
    this.#queue = [];
    this.#queuedBytes = 0;
    if (this.#ended || this.#failure !== undefined) return;
    if (this.cancellation.aborted || this.#controller === undefined) {
      this.#cut();
      return;
    }
    this.#drainLeft = DRAIN_MAX_BYTES;
    this.#waiting = false;
    clearTimeout(this.#idleTimer);
    this.#drainTimer = setTimeout(this.#cut, DRAIN_MAX_MS);
    if (this.#controller.paused) this.#controller.resume();
  }

  /** Stops reading a body nobody reads: its connection is closed. */
  readonly #cut = (): void => {
    if (this.#ended || this.#failure !== undefined) return;
    this.#failure = { error: new Error(`${this.provider}: the reader stopped early`) };
    this.#release();
    this.#controller?.abort(this.#failure.error as Error);
  };

  // --- failures, cancellation and time limits -------------------------------------------------

  readonly #onCallerAbort = (): void => {
    this.#abort(new Error(`${this.provider}: request to ${this.href} cancelled by the caller`));
  };

  readonly #onFirstByteTimeout = (): void => {
    this.#expire(codeError("headers timeout", "UND_ERR_HEADERS_TIMEOUT"));
  };

  readonly #onIdleTimeout = (): void => {
    if (this.#waiting) this.#expire(codeError("body timeout", "UND_ERR_BODY_TIMEOUT"));
  };

  #expire(cause: Error): void {
    this.#timeoutError = mapNetworkError(cause, {
      provider: this.provider,
      url: this.href,
      timeouts: this.timeouts,
    });
    this.#abort(this.#timeoutError);
  }

  #abort(reason: Error): void {
    if (this.#ended || this.#failure !== undefined) return;
    if (this.#controller !== undefined) {
      this.#controller.abort(reason);
    } else {
      this.#abortReason = reason; // aborted at onRequestStart, if it ever comes
    }
    this.#fail(reason); // no-op when undici has already reported the abort
  }

  /** Settles whoever waits with the classified error; later reports are ignored. */
  #fail(error: unknown): void {
    if (this.#failure !== undefined || this.#ended) return;
    this.#release();
    const mapped = this.cancellation.aborted
      ? this.cancellation.abortReason
      : (this.#timeoutError ??
        mapNetworkError(error, {
          provider: this.provider,
          url: this.href,
          timeouts: this.timeouts,
        }));
    this.#failure = { error: mapped };
    this.#waiting = false;
    const waiter = this.#started ?? this.#reader ?? this.#collector;
    this.#started = undefined;
    this.#reader = undefined;
    this.#collector = undefined;
    waiter?.reject(mapped);
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    clearTimeout(this.#firstByteTimer);
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#drainTimer);
    this.#stopWatching?.();
  }
}

function concat(chunks: Buffer[]): Buffer {
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

function codeError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function normaliseHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(", ") : value;
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? joined : `${headers[key]}, ${joined}`;
  }
  return headers;
}
