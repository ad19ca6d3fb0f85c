import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BUILTIN_MOCK_VENDORS } from "./builtin-mock-vendors.js";
import {
  DEFAULT_MOCK_BEHAVIOUR,
  type MockBehaviour,
  type MockBehaviourSource,
  type MockRecordedRequest,
  type MockRoute,
  type MockServerStats,
} from "./mock-behaviour.js";
import type {
  MockRequestContext,
  MockRouteMatch,
  MockVendor,
  PreparedReply,
  RenderedResponse,
} from "./mock-kit/mock-vendor.js";
import { prepareMockReply } from "./prepare-mock-reply.js";
import { respondWithBehaviour } from "./respond-with-behaviour.js";
import { validateMockBehaviour } from "./validate-mock-behaviour.js";

export interface MockProviderServerOptions {
  /** Interface to listen on. Default `"127.0.0.1"`. */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 0. */
  port?: number;
  /** Keep every request in `requests`. Turn off for load benchmarks. Default true. */
  recordRequests?: boolean;
  /** Fixed latency before every answer's status line (see `setLatency`). Default 0. */
  latencyMs?: number;
  /** Answer used when nothing is queued. Default: a short text reply. */
  defaultBehaviour?: MockBehaviourSource;
}

/** A local HTTP server that speaks the vendors' wire formats, scripted request by request. */
export interface MockProviderServer {
  /** `http://host:port`, without a trailing slash: the SDKs' base URL (plus `/v1` for OpenAI). */
  readonly url: string;
  readonly port: number;
  /** Every request received since start or `reset()` (when recording is on). */
  readonly requests: readonly MockRecordedRequest[];
  /** Request counts; `maxInFlight` is the most requests open at once. */
  readonly stats: MockServerStats;
  /** Scripted behaviours not yet used, over all queues. */
  readonly pending: number;
  /** The answer when nothing is queued for a request. */
  setDefault(behaviour: MockBehaviourSource): void;
  /** The answer on one route when nothing is queued; `undefined` falls back to `setDefault`'s. */
  setDefaultFor(route: MockRoute, behaviour: MockBehaviourSource | undefined): void;
  /** One behaviour per request, first in first out, whatever the route. */
  enqueue(...behaviours: MockBehaviourSource[]): void;
  /** One behaviour per request on `route`; used before the shared queue. */
  enqueueFor(route: MockRoute, ...behaviours: MockBehaviourSource[]): void;
  /** A fixed delay before every status line (on one route, or all), added to `headersDelayMs`. */
  setLatency(latencyMs: number, route?: MockRoute): void;
  /** The recorded requests of one route. */
  requestsFor(route: MockRoute | "unmatched"): MockRecordedRequest[];
  /** Forgets queues, defaults, latencies, recorded requests and counts. */
  reset(): void;
  /** Stops listening and destroys every open connection, never-ending streams included. */
  close(): Promise<void>;
}

/** Starts a mock provider server on `host:port` (default `127.0.0.1`, a free port). */
export async function startMockProviderServer(
  options: MockProviderServerOptions = {},
): Promise<MockProviderServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`mock provider server: port must be an integer 0..65535 (got ${port})`);
  }
  checkLatency(options.latencyMs ?? 0);
  if (options.defaultBehaviour !== undefined) checkSource(options.defaultBehaviour);
  const server = createServer({ keepAliveTimeout: 30_000 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return new ScriptedMockServer(server, host, options, BUILTIN_MOCK_VENDORS);
}

class ScriptedMockServer implements MockProviderServer {
  readonly url: string;
  readonly port: number;
  #requests: MockRecordedRequest[] = [];
  #queue: MockBehaviourSource[] = [];
  #routeQueues = new Map<string, MockBehaviourSource[]>();
  #default: MockBehaviourSource;
  #routeDefaults = new Map<string, MockBehaviourSource>();
  #latencyMs: number;
  #routeLatencyMs = new Map<string, number>();
  #total = 0;
  #inFlight = 0;
  #maxInFlight = 0;
  #byRoute: Record<string, number> = {};
  #prepared = new WeakMap<MockBehaviour, PreparedReply>();
  #closing: Promise<void> | undefined;
  readonly #controller = new AbortController();
  readonly #onResponseClose = () => {
    this.#inFlight--;
  };

  constructor(
    private readonly server: Server,
    host: string,
    private readonly options: MockProviderServerOptions,
    private readonly vendors: readonly MockVendor[],
  ) {
    setMaxListeners(0, this.#controller.signal);
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://${host.includes(":") ? `[${host}]` : host}:${this.port}`;
    this.#default = options.defaultBehaviour ?? DEFAULT_MOCK_BEHAVIOUR;
    this.#latencyMs = options.latencyMs ?? 0;
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      this.#receive(request, response);
    });
  }

  get requests(): readonly MockRecordedRequest[] {
    return this.#requests;
  }

  get stats(): MockServerStats {
    return {
      total: this.#total,
      inFlight: this.#inFlight,
      maxInFlight: this.#maxInFlight,
      byRoute: { ...this.#byRoute },
    };
  }

  get pending(): number {
    let count = this.#queue.length;
    for (const queue of this.#routeQueues.values()) count += queue.length;
    return count;
  }

  setDefault(behaviour: MockBehaviourSource): void {
    checkSource(behaviour);
    this.#default = behaviour;
  }

  setDefaultFor(route: MockRoute, behaviour: MockBehaviourSource | undefined): void {
    this.#checkRoute(route);
    if (behaviour === undefined) {
      this.#routeDefaults.delete(route);
      return;
    }
    checkSource(behaviour);
    this.#routeDefaults.set(route, behaviour);
  }

  enqueue(...behaviours: MockBehaviourSource[]): void {
    for (const behaviour of behaviours) checkSource(behaviour);
    this.#queue.push(...behaviours);
  }

  enqueueFor(route: MockRoute, ...behaviours: MockBehaviourSource[]): void {
    this.#checkRoute(route);
    for (const behaviour of behaviours) checkSource(behaviour);
    const queue = this.#routeQueues.get(route);
    if (queue === undefined) this.#routeQueues.set(route, [...behaviours]);
    else queue.push(...behaviours);
  }

  setLatency(latencyMs: number, route?: MockRoute): void {
    checkLatency(latencyMs);
    if (route === undefined) {
      this.#latencyMs = latencyMs;
      return;
    }
    this.#checkRoute(route);
    this.#routeLatencyMs.set(route, latencyMs);
  }

  requestsFor(route: MockRoute | "unmatched"): MockRecordedRequest[] {
    return this.#requests.filter((request) => request.route === route);
  }

  reset(): void {
    this.#requests = [];
    this.#queue = [];
    this.#routeQueues.clear();
    this.#default = this.options.defaultBehaviour ?? DEFAULT_MOCK_BEHAVIOUR;
    this.#routeDefaults.clear();
    this.#latencyMs = this.options.latencyMs ?? 0;
    this.#routeLatencyMs.clear();
    this.#total = 0;
    this.#maxInFlight = this.#inFlight;
    this.#byRoute = {};
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.#controller.abort();
      this.server.closeAllConnections();
    });
    return this.#closing;
  }

  #checkRoute(route: string): void {
    if (!this.vendors.some((vendor) => vendor.routes.includes(route))) {
      const known = this.vendors.flatMap((vendor) => vendor.routes).join(", ");
      throw new TypeError(`mock provider server: unknown route ${route} (known: ${known})`);
    }
  }

  #receive(request: IncomingMessage, response: ServerResponse): void {
    this.#total++;
    this.#inFlight++;
    if (this.#inFlight > this.#maxInFlight) this.#maxInFlight = this.#inFlight;
    response.once("close", this.#onResponseClose);
    const method = request.method ?? "GET";
    if (method === "GET" || method === "HEAD") {
      this.#dispatchSafely(request, response, undefined);
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.once("end", () => {
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))?.toString("utf8");
      this.#dispatchSafely(request, response, text);
    });
  }

  #dispatchSafely(request: IncomingMessage, response: ServerResponse, text: string | undefined) {
    try {
      this.#dispatch(request, response, text);
    } catch (error) {
      this.#fail(response, error);
    }
  }

  #dispatch(request: IncomingMessage, response: ServerResponse, text: string | undefined): void {
    const method = request.method ?? "GET";
    const url = request.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    let match: MockRouteMatch | undefined;
    let vendor: MockVendor | undefined;
    for (const candidate of this.vendors) {
      match = candidate.match(method, path, request.headers);
      if (match !== undefined) {
        vendor = candidate;
        break;
      }
    }
    let body: unknown;
    let bodyIsJson = true;
    if (text !== undefined && text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        bodyIsJson = false;
      }
    }
    const route = match?.route ?? "unmatched";
    const recorded: MockRecordedRequest = {
      route: route as MockRoute,
      method,
      path,
      url,
      headers: request.headers,
      body,
      rawBody: text,
      sent: [],
      at: Date.now(),
    };
    if (this.options.recordRequests !== false) recordWrites(response, recorded.sent);
    if (this.options.recordRequests !== false) this.#requests.push(recorded);
    this.#byRoute[route] = (this.#byRoute[route] ?? 0) + 1;
    if (match === undefined || vendor === undefined) {
      const message = `mock provider server: no route for ${method} ${path}`;
      const payload = JSON.stringify({ error: { message } });
      response.writeHead(404, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(payload)),
      });
      response.end(payload);
      return;
    }
    const context: MockRequestContext = {
      route,
      method,
      path,
      query: new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1)),
      headers: request.headers,
      body: bodyIsJson ? body : undefined,
      rawBody: text,
      params: match.params,
    };
    const intercepted = vendor.intercept?.(context);
    const answer = (refusal: RenderedResponse | undefined) => {
      if (refusal === undefined) {
        this.#answer(vendor, match, context, recorded, response, bodyIsJson);
        return;
      }
      response.writeHead(refusal.status, {
        ...refusal.headers,
        "content-length": String(Buffer.byteLength(refusal.body)),
      });
      response.end(refusal.body);
    };
    if (intercepted instanceof Promise) {
      intercepted.then(answer).catch((error: unknown) => this.#fail(response, error));
    } else {
      answer(intercepted);
    }
  }

  /** Answers a request its vendor accepted with the next scripted behaviour. */
  #answer(
    vendor: MockVendor,
    match: MockRouteMatch,
    context: MockRequestContext,
    recorded: MockRecordedRequest,
    response: ServerResponse,
    bodyIsJson: boolean,
  ): void {
    const route = context.route;
    const behaviour: MockBehaviour = bodyIsJson
      ? this.#next(route, recorded)
      : { error: { kind: "invalid_request", message: "the request body is not valid JSON" } };
    respondWithBehaviour({
      behaviour,
      reply: () => this.#prepare(behaviour),
      vendor,
      handler: match.handler,
      context,
      response,
      latencyMs: this.#routeLatencyMs.get(route) ?? this.#latencyMs,
      signal: this.#controller.signal,
    }).catch((error: unknown) => this.#fail(response, error));
  }

  #next(route: string, request: MockRecordedRequest): MockBehaviour {
    const source =
      this.#routeQueues.get(route)?.shift() ??
      this.#queue.shift() ??
      this.#routeDefaults.get(route) ??
      this.#default;
    if (typeof source !== "function") return source;
    const behaviour = source(request);
    validateMockBehaviour(behaviour);
    return behaviour;
  }

  #prepare(behaviour: MockBehaviour): PreparedReply {
    let prepared = this.#prepared.get(behaviour);
    if (prepared === undefined) {
      prepared = prepareMockReply(("reply" in behaviour && behaviour.reply) || {}, behaviour);
      this.#prepared.set(behaviour, prepared);
    }
    return prepared;
  }

  /** A behaviour function threw or the server is closing: answer 500 if still possible. */
  #fail(response: ServerResponse, error: unknown): void {
    if (response.headersSent || this.#controller.signal.aborted) {
      response.destroy();
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const payload = JSON.stringify({ error: { message: `mock provider server: ${message}` } });
    response.writeHead(500, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(payload)),
    });
    response.end(payload);
  }
}

function checkSource(source: MockBehaviourSource): void {
  if (typeof source !== "function") validateMockBehaviour(source);
}

function checkLatency(latencyMs: number): void {
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new RangeError(`mock provider server: latencyMs must be >= 0 (got ${latencyMs})`);
  }
}

/** Keeps what the response writes, so a test can compare it with what a client received. */
function recordWrites(response: ServerResponse, sent: string[]): void {
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  const keep = (chunk: unknown) => {
    if (typeof chunk === "string" && chunk.length > 0) sent.push(chunk);
    else if (chunk instanceof Uint8Array && chunk.length > 0)
      sent.push(Buffer.from(chunk).toString());
  };
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return write(chunk, ...rest);
  }) as ServerResponse["write"];
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== "function") keep(chunk);
    return end(chunk, ...rest);
  }) as ServerResponse["end"];
}
