import type { Context } from "hono";
import {
  type EventSource,
  type Exchange,
  type HeaderSource,
  jsonText,
  requestIdFrom,
  requestIdHeaders,
} from "./exchange.js";
import { type BodyLimits, readJsonBody } from "./read-json-body.js";

const encoder = new TextEncoder();

/**
 * An exchange over web `Request` and `Response`, for the gateway's Hono app wherever it runs
 * (`app.request()` in tests, another server that mounts it). The answer is `response` once sent.
 */
export class WebExchange implements Exchange {
  readonly requestId: string;
  readonly headers: HeaderSource;
  private sent: Response | undefined;

  constructor(private readonly context: Context) {
    this.headers = context.req.raw.headers;
    const known: unknown = context.get("requestId");
    this.requestId =
      typeof known === "string" ? known : requestIdFrom(this.headers.get("x-request-id"));
  }

  get signal(): AbortSignal {
    return this.context.req.raw.signal;
  }

  /** The answer; a 500 when the route sent none (a route always answers). */
  get response(): Response {
    return this.sent ?? new Response(null, { status: 500 });
  }

  readJson(limits: BodyLimits): Promise<unknown> {
    return readJsonBody(this.context.req.raw, limits);
  }

  sendJson(status: number, body: unknown, headers?: Record<string, string>): void {
    this.sent = new Response(jsonText(body), {
      status,
      headers: {
        ...headers,
        "content-type": "application/json",
        ...requestIdHeaders(this.requestId),
      },
    });
  }

  sendStream(headers: Record<string, string>, events: EventSource): void {
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await events.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await events.return();
      },
    });
    this.sent = new Response(body, {
      status: 200,
      headers: { ...headers, ...requestIdHeaders(this.requestId) },
    });
  }
}
