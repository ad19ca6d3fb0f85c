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
} from "./mock-kit/mock-vendor.js";
import { MockRequestLog } from "./mock-request-log.js";
import { prepareMockReply } from "./prepare-mock-reply.js";
import { respondWithBehaviour } from "./respond-with-behaviour.js";
import { type MockRequestRouting, receiveMockRequest } from "./route-mock-request.js";
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
  #queue: MockBehaviourSource[] = [];
  #routeQueues = new Map<string, MockBehaviourSource[]>();
  #default: MockBehaviourSource;
  #routeDefaults = new Map<string, MockBehaviourSource>();
  #latencyMs: number;
  #routeLatencyMs = new Map<string, number>();
  readonly #log: MockRequestLog;
  #prepared = new WeakMap<MockBehaviour, PreparedReply>();
  #closing: Promise<void> | undefined;
  readonly #controller = new AbortController();

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
    this.#log = new MockRequestLog(options);
    const routing: MockRequestRouting = {
      vendors,
      routed: (recorded: MockRecordedRequest, response: ServerResponse) =>
        this.#log.routed(recorded, response),
      answer: this.#answer.bind(this),
      fail: this.#fail.bind(this),
    };
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      this.#log.opened(response);
      receiveMockRequest(request, response, routing);
    });
  }

  get requests(): readonly MockRecordedRequest[] {
    return this.#log.requests;
  }

  get stats(): MockServerStats {
    return this.#log.stats;
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
    return this.#log.requestsFor(route);
  }

  reset(): void {
    this.#log.reset();
    this.#queue = [];
    this.#routeQueues.clear();
    this.#default = this.options.defaultBehaviour ?? DEFAULT_MOCK_BEHAVIOUR;
    this.#routeDefaults.clear();
    this.#latencyMs = this.options.latencyMs ?? 0;
    this.#routeLatencyMs.clear();
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
