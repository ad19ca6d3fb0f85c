import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyTooLargeError, invalidJsonBodyError } from "../protocols/gateway-request-error.js";
import {
  type EventSource,
  type Exchange,
  type HeaderSource,
  jsonText,
  requestIdFrom,
  requestIdHeaders,
} from "./exchange.js";
import { type BodyLimits, parseJsonBody } from "./read-json-body.js";

/**
 * An exchange over Node's own request and response: headers read from the parsed request, the body
 * read off the socket, answers written with `writeHead` and `end`, streams written event by event.
 * No web `Request`, `Headers`, `Response` or `ReadableStream` is built on the way: on the gateway's
 * hot routes those cost more CPU than the routing itself.
 */
export class NodeExchange implements Exchange {
  readonly requestId: string;
  readonly headers: HeaderSource;
  private controller: AbortController | undefined;

  constructor(
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
  ) {
    const raw = request.headers;
    this.headers = {
      get: (name) => {
        const value = raw[name];
        return Array.isArray(value) ? value.join(", ") : value;
      },
    };
    this.requestId = requestIdFrom(this.headers.get("x-request-id"));
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      this.controller = controller;
      const response = this.response;
      if (response.destroyed && !response.writableFinished) controller.abort(clientGone());
      else {
        response.once("close", () => {
          if (!response.writableFinished) controller.abort(clientGone());
        });
      }
    }
    return this.controller.signal;
  }

  readJson(limits: BodyLimits): Promise<unknown> {
    const { maxBytes, maxDepth } = limits;
    const request = this.request;
    const declared = Number(request.headers["content-length"]);
    if (declared > maxBytes) return this.refuseBody(bodyTooLargeError(maxBytes, declared));
    return new Promise<unknown>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const cleanup = () => {
        request.off("data", onData);
        request.off("end", onEnd);
        request.off("error", onError);
        request.off("close", onClose);
      };
      const onData = (chunk: Buffer) => {
        received += chunk.byteLength;
        if (received > maxBytes) {
          cleanup();
          this.refuseBody(bodyTooLargeError(maxBytes, received)).then(resolve, reject);
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        try {
          resolve(
            parseJsonBody(
              chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
              maxDepth,
            ),
          );
        } catch (error) {
          reject(error);
        }
      };
      const onError = (error: Error) => {
        cleanup();
        reject(invalidJsonBodyError(`the request body could not be read (${error.message})`));
      };
      const onClose = () => {
        if (request.complete) return;
        cleanup();
        reject(invalidJsonBodyError("the client closed the connection before sending the body"));
      };
      request.on("data", onData);
      request.on("end", onEnd);
      request.on("error", onError);
      request.on("close", onClose);
    });
  }

  sendJson(status: number, body: unknown, headers?: Record<string, string>): void {
    const text = jsonText(body);
    const response = this.response;
    if (response.headersSent) return;
    response.writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...requestIdHeaders(this.requestId),
    });
    response.end(text);
  }

  sendStream(headers: Record<string, string>, events: EventSource): void {
    const response = this.response;
    response.writeHead(200, { ...headers, ...requestIdHeaders(this.requestId) });
    void pump(response, events);
  }

  /**
   * Refuses a body without reading the rest of it: the connection is closed after the answer, since
   * what is left of the body would otherwise be read as the next request.
   */
  private refuseBody(error: Error): Promise<never> {
    this.response.shouldKeepAlive = false;
    this.request.pause();
    return Promise.reject(error);
  }
}

/** Characters of ready events written together at most: a long backlog goes out in parts. */
const MAX_BATCH_CHARS = 16_384;
/** How long the first events wait at most for the rest of a backlog before they are written. */
const MAX_FIRST_WAIT_MS = 1;

/**
 * Writes a stream's events to the response. Events that are ready together (the upstream sent them
 * in one packet) are written together, in one write, once the source has to wait for more: one
 * chunk of the response and one system call, not one per event; the last ones go out with the end.
 * The client's first byte is not held back by a long backlog: a batch is written as soon as it
 * reaches `MAX_BATCH_CHARS`, and the first one after `MAX_FIRST_WAIT_MS`. Stops, closing the
 * stream, when the client goes away.
 */
async function pump(response: ServerResponse, events: EventSource): Promise<void> {
  let gone = response.destroyed;
  const onClose = () => {
    gone = true;
  };
  response.once("close", onClose);
  let pending = "";
  let scheduled = false;
  /** When the first batch began, until it is written. */
  let firstAt: number | undefined;
  let blocked: Promise<void> | undefined;
  const flush = () => {
    scheduled = false;
    if (pending === "" || gone) return;
    const text = pending;
    pending = "";
    firstAt = undefined;
    if (!response.write(text)) blocked = drained(response);
  };
  let first = true;
  try {
    // Pulls at least once even when the client is already gone: a generator closed before it
    // started would skip its `finally`, and with it the end of the request's bookkeeping.
    for (;;) {
      const next = await events.next();
      if (next.done) {
        if (!gone) response.end(pending);
        pending = "";
        return;
      }
      if (gone) break;
      pending += next.value;
      if (first) {
        first = false;
        firstAt = performance.now();
      }
      if (
        pending.length >= MAX_BATCH_CHARS ||
        (firstAt !== undefined && performance.now() - firstAt >= MAX_FIRST_WAIT_MS)
      ) {
        flush();
      } else if (!scheduled) {
        // Runs once the promise jobs queued now are done: after every event that is ready.
        scheduled = true;
        process.nextTick(flush);
      }
      if (blocked !== undefined) {
        await blocked;
        blocked = undefined;
      }
    }
    await events.return();
  } catch {
    // The event source fails only when its own error handling failed: nothing can be sent now.
    response.destroy();
  } finally {
    response.off("close", onClose);
  }
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.on("drain", done);
    response.on("close", done);
  });
}

function clientGone(): Error {
  const error = new Error("the client closed the connection before its answer was complete");
  error.name = "AbortError";
  return error;
}
