import { Agent } from "undici";
import type { ProviderError } from "../../errors/provider-error.js";
import { mapNetworkError, type NetworkTimeouts } from "./map-network-error.js";
import { parseJsonText } from "./parse-json-text.js";

export interface HttpClientOptions {
  /** Used in error messages and as `ProviderError.provider`. */
  providerName: string;
  /** The API root, e.g. `https://host/v1`; request paths are appended to it. */
  baseUrl: string;
  /** Auth and version headers, sent on every request. */
  headers: Record<string, string>;
  /** Time to open a connection; default 10_000. */
  connectTimeoutMs?: number;
  /** Time until the response headers arrive; default 60_000. */
  firstByteTimeoutMs?: number;
  /** Longest gap between body chunks (a stalled stream); default 30_000. */
  idleTimeoutMs?: number;
  /** Keep-alive connections per origin; default 128. */
  maxConnections?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Read once. Network faults while reading are thrown as ProviderError (a stall is `timeout`). */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Throws a `transient` ProviderError on malformed JSON. */
  json(): Promise<unknown>;
}

export interface HttpRequestOptions {
  method: "GET" | "POST";
  /** Appended to the base URL, e.g. `/chat/completions`. */
  path: string;
  /** Sent as JSON (strings and bytes are sent as they are). */
  body?: unknown;
  headers?: Record<string, string>;
  signal: AbortSignal;
}

export interface HttpClient {
  request(options: HttpRequestOptions): Promise<HttpResponse>;
  /** Closes pooled connections, waiting for requests in flight. */
  close(): Promise<void>;
}

/**
 * An HTTP client on an undici keep-alive pool. Redirects are never followed (a 3xx is returned as
 * is), the caller's signal reaches the socket, and network faults become classified ProviderErrors.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.providerName;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeouts: NetworkTimeouts = {
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    firstByteTimeoutMs: options.firstByteTimeoutMs ?? 60_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
  };
  const agent = new Agent({
    connect: { timeout: timeouts.connectTimeoutMs },
    headersTimeout: timeouts.firstByteTimeoutMs,
    bodyTimeout: timeouts.idleTimeoutMs,
    connections: options.maxConnections ?? 128,
  });

  async function request(request: HttpRequestOptions): Promise<HttpResponse> {
    const { signal } = request;
    signal.throwIfAborted();
    const url = new URL(baseUrl + request.path);
    const headers: Record<string, string> = { ...options.headers, ...request.headers };
    let body: string | Uint8Array | undefined;
    if (typeof request.body === "string" || request.body instanceof Uint8Array) {
      body = request.body;
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      if (!hasHeader(headers, "content-type")) headers["content-type"] = "application/json";
    }

    // undici's own header and body timeouts run on a coarse (about one second) timer, so the
    // first-byte and idle limits are kept here with precise timers; undici's stay as a backstop.
    const inner = new AbortController();
    const onCallerAbort = () => inner.abort(signal.reason);
    signal.addEventListener("abort", onCallerAbort, { once: true });
    let timeoutError: ProviderError | undefined;
    const expire = (error: ProviderError) => {
      timeoutError = error;
      inner.abort(error);
    };
    const firstByteTimer = setTimeout(
      () => expire(mapNetworkError(headersTimeout(), { provider, url: url.href, timeouts })),
      timeouts.firstByteTimeoutMs,
    );
    let waitingForChunk = false;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const release = () => {
      clearTimeout(firstByteTimer);
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      signal.removeEventListener("abort", onCallerAbort);
    };
    const fail = (error: unknown): never => {
      release();
      if (signal.aborted) throw signal.reason;
      if (timeoutError !== undefined) throw timeoutError;
      throw mapNetworkError(error, { provider, url: url.href, timeouts });
    };

    let response: Awaited<ReturnType<Agent["request"]>>;
    try {
      response = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers,
        body,
        signal: inner.signal,
      });
    } catch (error) {
      return fail(error);
    }
    clearTimeout(firstByteTimer);
    idleTimer = setTimeout(() => {
      if (waitingForChunk) {
        expire(mapNetworkError(bodyTimeout(), { provider, url: url.href, timeouts }));
      }
    }, timeouts.idleTimeoutMs);

    const responseBody = response.body;
    let consumed = false;
    async function* iterate(): AsyncGenerator<Uint8Array> {
      if (consumed) throw new Error(`${provider}: response body of ${url.href} was already read`);
      consumed = true;
      const iterator = responseBody[Symbol.asyncIterator]();
      let finished = false;
      try {
        while (true) {
          // The idle limit runs only while waiting on the server, not while the reader is busy.
          waitingForChunk = true;
          idleTimer?.refresh();
          let next: IteratorResult<unknown>;
          try {
            next = await iterator.next();
          } finally {
            waitingForChunk = false;
          }
          if (next.done) break;
          yield next.value as Uint8Array;
        }
        finished = true;
        release();
      } catch (error) {
        fail(error);
      } finally {
        // Stopping early must free the connection rather than leave the body half-read.
        if (!finished) {
          release();
          if (!responseBody.destroyed) responseBody.destroy();
        }
      }
    }
    const text = async (): Promise<string> => {
      const decoder = new TextDecoder();
      let result = "";
      for await (const chunk of iterate()) result += decoder.decode(chunk, { stream: true });
      return result + decoder.decode();
    };
    return {
      status: response.statusCode,
      headers: normaliseHeaders(response.headers),
      body: { [Symbol.asyncIterator]: iterate },
      text,
      json: async () =>
        parseJsonText(await text(), {
          provider,
          what: "response body",
          status: response.statusCode,
        }),
    };
  }

  return {
    request,
    close: () => agent.close(),
  };
}

function headersTimeout(): Error {
  return Object.assign(new Error("headers timeout"), { code: "UND_ERR_HEADERS_TIMEOUT" });
}

function bodyTimeout(): Error {
  return Object.assign(new Error("body timeout"), { code: "UND_ERR_BODY_TIMEOUT" });
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function normaliseHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(", ") : value;
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? joined : `${headers[key]}, ${joined}`;
  }
  return headers;
}
