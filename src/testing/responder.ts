import type { ServerResponse } from "node:http";
import type { MockBehaviour } from "./mock-behaviour.js";
import { type MockBodySink, openBodySink } from "./mock-body-sink.js";
import type {
  MockRequestContext,
  MockRouteHandler,
  MockVendor,
  PreparedReply,
} from "./mock-kit/mock-vendor.js";

/** One request the mock server is answering, with everything needed to answer it. */
export interface Responder {
  behaviour: MockBehaviour;
  /** The behaviour's reply, prepared (and cached) on first use. */
  reply(): PreparedReply;
  vendor: MockVendor;
  handler: MockRouteHandler;
  context: MockRequestContext;
  response: ServerResponse;
  /** The server's fixed latency for this route, added to `headersDelayMs`. */
  latencyMs: number;
  /** Aborted when the server closes: every pending wait ends. */
  signal: AbortSignal;
}

/** A 200 with the route's stream headers and the behaviour's own. */
export function openStreamSink(responder: Responder): MockBodySink {
  const { behaviour, response, handler, context } = responder;
  const headers = { ...handler.streamHeaders?.(context), ...behaviour.headers };
  return openBodySink(
    response,
    200,
    headers,
    behaviour.contentEncoding,
    handler.streamEncoding ?? "utf8",
  );
}
