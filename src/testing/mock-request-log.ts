import type { ServerResponse } from "node:http";
import type { MockRecordedRequest, MockRoute, MockServerStats } from "./mock-behaviour.js";

/** The requests a mock provider server received: kept (when recording is on) and counted. */
export class MockRequestLog {
  #requests: MockRecordedRequest[] = [];
  #total = 0;
  #inFlight = 0;
  #maxInFlight = 0;
  #byRoute: Record<string, number> = {};
  readonly #onResponseClose = () => {
    this.#inFlight--;
  };

  /** `options.recordRequests` is read at each request; `false` turns recording off. */
  constructor(private readonly options: { readonly recordRequests?: boolean }) {}

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

  /** Counts a request as it arrives; it stays in flight until its response closes. */
  opened(response: ServerResponse): void {
    this.#total++;
    this.#inFlight++;
    if (this.#inFlight > this.#maxInFlight) this.#maxInFlight = this.#inFlight;
    response.once("close", this.#onResponseClose);
  }

  /** Keeps a routed request (and what its response writes) and counts it on its route. */
  routed(recorded: MockRecordedRequest, response: ServerResponse): void {
    if (this.options.recordRequests !== false) recordWrites(response, recorded.sent);
    if (this.options.recordRequests !== false) this.#requests.push(recorded);
    this.#byRoute[recorded.route] = (this.#byRoute[recorded.route] ?? 0) + 1;
  }

  requestsFor(route: MockRoute | "unmatched"): MockRecordedRequest[] {
    return this.#requests.filter((request) => request.route === route);
  }

  /** Forgets the recorded requests and the counts (requests still open stay in flight). */
  reset(): void {
    this.#requests = [];
    this.#total = 0;
    this.#maxInFlight = this.#inFlight;
    this.#byRoute = {};
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
