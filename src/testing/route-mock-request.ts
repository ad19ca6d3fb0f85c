import type { IncomingMessage, ServerResponse } from "node:http";
import type { MockRecordedRequest, MockRoute } from "./mock-behaviour.js";
import type {
  MockRequestContext,
  MockRouteMatch,
  MockVendor,
  RenderedResponse,
} from "./mock-kit/mock-vendor.js";

/** What routing a request needs from the mock provider server. */
export interface MockRequestRouting {
  /** The vendors to try, in order; the first whose `match` accepts the request handles it. */
  readonly vendors: readonly MockVendor[];
  /** Records a request once routed (to a vendor, or `"unmatched"`). */
  routed(recorded: MockRecordedRequest, response: ServerResponse): void;
  /** Called for a request its vendor matched and did not refuse (see `MockVendor.intercept`). */
  answer(
    vendor: MockVendor,
    match: MockRouteMatch,
    context: MockRequestContext,
    recorded: MockRecordedRequest,
    response: ServerResponse,
    bodyIsJson: boolean,
  ): void;
  /** Called when routing or answering the request threw or rejected. */
  fail(response: ServerResponse, error: unknown): void;
}

/** Reads a request's body (none for GET and HEAD), then routes it to the vendor that matches. */
export function receiveMockRequest(
  request: IncomingMessage,
  response: ServerResponse,
  routing: MockRequestRouting,
): void {
  const method = request.method ?? "GET";
  if (method === "GET" || method === "HEAD") {
    dispatchSafely(request, response, undefined, routing);
    return;
  }
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.once("end", () => {
    const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))?.toString("utf8");
    dispatchSafely(request, response, text, routing);
  });
}

function dispatchSafely(
  request: IncomingMessage,
  response: ServerResponse,
  text: string | undefined,
  routing: MockRequestRouting,
) {
  try {
    dispatch(request, response, text, routing);
  } catch (error) {
    routing.fail(response, error);
  }
}

function dispatch(
  request: IncomingMessage,
  response: ServerResponse,
  text: string | undefined,
  routing: MockRequestRouting,
): void {
  const method = request.method ?? "GET";
  const url = request.url ?? "/";
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  let match: MockRouteMatch | undefined;
  let vendor: MockVendor | undefined;
  for (const candidate of routing.vendors) {
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
  routing.routed(recorded, response);
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
      routing.answer(vendor, match, context, recorded, response, bodyIsJson);
      return;
    }
    response.writeHead(refusal.status, {
      ...refusal.headers,
      "content-length": String(Buffer.byteLength(refusal.body)),
    });
    response.end(refusal.body);
  };
  if (intercepted instanceof Promise) {
    intercepted.then(answer).catch((error: unknown) => routing.fail(response, error));
  } else {
    answer(intercepted);
  }
}
