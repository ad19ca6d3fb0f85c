import { Agent } from "undici";
import type { Cancellation } from "../../engine/provider.js";
import { HttpExchange } from "./http-exchange.js";
import type { HttpResponse } from "./http-response.js";
import type { NetworkTimeouts } from "./map-network-error.js";
import { checkMaxResponseBytes } from "./response-limit.js";

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
  /**
   * Bytes buffered from one answer at most, counted after content decoding: a body read whole
   * (`text()`, `json()`) or one event of `events()`. Past it the read fails as a `transient`
   * ProviderError and the connection is closed. Default 67_108_864 (64 MiB).
   */
  maxResponseBytes?: number;
}

export interface HttpRequestOptions {
  method: "GET" | "POST";
  /** Appended to the base URL, e.g. `/chat/completions`. */
  path: string;
  /** Sent as JSON (strings and bytes are sent as they are). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The attempt's cancellation (`cancellationOf(context)`): it aborts the request. */
  cancellation: Cancellation;
}

export interface HttpClient {
  request(options: HttpRequestOptions): Promise<HttpResponse>;
  /** Closes pooled connections, waiting for requests in flight. */
  close(): Promise<void>;
}

/** A path that `new URL` would leave unchanged: starts with "/", no dot segments, no odd characters. */
const SAFE_PATH =
  /^(?:\/(?!(?:\.|%2[eE]){1,2}(?:[/?]|$))[\w\-.~%!$&'()*+,;=:@]*)+(?:\?[\w\-.~%!$&()*+,;=:@/?]+)?$/;

/**
 * An HTTP client on an undici keep-alive pool. Redirects are never followed (a 3xx is returned as
 * is), the caller's cancellation reaches the socket, and network faults become classified
 * ProviderErrors.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.providerName;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  // Parsed once: per request, the path is appended as is unless it needs URL normalising.
  const base = new URL(baseUrl);
  const origin = base.origin;
  const basePath = base.pathname === "/" ? "" : base.pathname;
  const plainBase = base.search === "" && base.hash === "" && `${origin}${basePath}` === baseUrl;
  const timeouts: NetworkTimeouts = {
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    firstByteTimeoutMs: options.firstByteTimeoutMs ?? 60_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
  };
  const maxResponseBytes = checkMaxResponseBytes(provider, options.maxResponseBytes);
  const agent = new Agent({
    connect: { timeout: timeouts.connectTimeoutMs },
    headersTimeout: timeouts.firstByteTimeoutMs,
    bodyTimeout: timeouts.idleTimeoutMs,
    connections: options.maxConnections ?? 128,
  });

  /** Where a request goes; `href` only names it in messages. */
  function resolveTarget(path: string): { origin: string; path: string; href: string } {
    if (plainBase && SAFE_PATH.test(path)) {
      const fullPath = basePath + path;
      return { origin, path: fullPath, href: origin + fullPath };
    }
    const url = new URL(baseUrl + path);
    return { origin: url.origin, path: url.pathname + url.search, href: url.href };
  }

  function request(request: HttpRequestOptions): Promise<HttpResponse> {
    try {
      return send(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Not async: one promise per request (the exchange's), resolved at the response headers. */
  function send(request: HttpRequestOptions): Promise<HttpResponse> {
    const { cancellation } = request;
    if (cancellation.aborted) return Promise.reject(cancellation.abortReason);
    const target = resolveTarget(request.path);
    const headers = withRequestHeaders(options.headers, request.headers);
    let body: string | Uint8Array | undefined;
    if (typeof request.body === "string" || request.body instanceof Uint8Array) {
      body = request.body;
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      if (!hasHeader(headers, "content-type")) headers["content-type"] = "application/json";
    }
    const exchange = new HttpExchange(
      cancellation,
      provider,
      target.href,
      timeouts,
      maxResponseBytes,
    );
    return exchange.start(agent, {
      origin: target.origin,
      path: target.path,
      method: request.method,
      headers,
      body,
    });
  }

  return {
    request,
    close: () => agent.close(),
  };
}

/** The client's headers with a request's set over them; a name in another case replaces too. */
function withRequestHeaders(
  base: Record<string, string>,
  added: Record<string, string> | undefined,
): Record<string, string> {
  if (added === undefined) return { ...base };
  const names = new Set(Object.keys(added).map((name) => name.toLowerCase()));
  const out: Record<string, string> = {};
  for (const name in base) {
    if (!names.has(name.toLowerCase())) out[name] = base[name] as string;
  }
  return Object.assign(out, added);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
