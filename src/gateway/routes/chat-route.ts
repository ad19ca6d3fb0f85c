import type { Context } from "hono";
import type { StreamSession } from "../../engine/stream-session.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import { readJsonBody } from "../http/read-json-body.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import type { ChatProtocol, ClientStreamEncoder } from "../protocols/chat-protocol.js";
import { type Stickiness, stickiness } from "../routing/affinity.js";
import type { ModelRoute } from "../routing/model-router.js";
import { authenticate, resolveRoute } from "./authorize-call.js";
import { checkRateLimit } from "./check-rate-limit.js";
import { errorResponse } from "./error-response.js";
import { RequestTracker } from "./request-tracker.js";

const encoder = new TextEncoder();
const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/**
 * A chat endpoint in one client protocol: authenticate, parse, route through the model's failover
 * engine, answer in the same protocol. Streams commit when the first upstream chunk arrives: before
 * that any failure becomes an ordinary error response; after it, an error event in the protocol.
 */
export function chatRoute(gateway: GatewayContext, protocol: ChatProtocol) {
  return async (c: Context): Promise<Response> => {
    const state = gateway.state();
    const requestId = c.get("requestId") as string;
    const startedAt = performance.now();
    let model: string | undefined;
    let sticky: Stickiness | undefined;
    const tracker = new RequestTracker(gateway.observer, {
      requestId,
      endpoint: "chat",
      protocol: protocol.name,
    });
    try {
      const client = authenticate(state, c.req.raw.headers);
      tracker.client = client?.name;
      const limited = await checkRateLimit(gateway, client);
      if (limited) {
        const response = errorResponse(c, gateway, protocol.renderError(limited), undefined, {
          requestId,
          client: client?.name,
        });
        tracker.end(response.status, "error");
        return response;
      }
      if (client) await gateway.budget?.check(client.name);
      const body = await readJsonBody(c.req.raw, state.config.server.maxBodyBytes);
      const parsed = protocol.parse(body);
      if (!parsed.ok) throw parsed.error;
      const { request, stream, includeUsage } = parsed.value;
      model = request.model;
      tracker.model = model;
      tracker.stream = stream;
      const route = resolveRoute(state, client, request.model);
      tracker.route = route;
      sticky = route.affinity
        ? await stickiness(route.affinity, client?.name, route.name)
        : undefined;
      const options = {
        ...route.chatOptions,
        signal: c.req.raw.signal,
        ...(sticky?.selector ? { selector: sticky.selector } : {}),
      };
      if (stream) {
        const session = await tracker.run(() => route.chat.openStream(request, options));
        tracker.committed(session.report);
        sticky?.learn(session.report);
        const target = route.targets.get(session.provider);
        const headers = { ...SSE_HEADERS, ...routingHeaders(route, session.report) };
        const body = sseBody(
          session,
          protocol.encoder(target?.model ?? request.model, includeUsage),
          tracker,
          () =>
            gateway.logger.info(
              {
                requestId,
                model,
                provider: session.provider,
                attempts: attemptCount(session.report),
                stream: true,
              },
              "stream ended",
            ),
        );
        return c.body(body, 200, headers);
      }
      const { result, report } = await tracker.run(() =>
        route.chat.generateWithReport(request, options),
      );
      tracker.report = report;
      tracker.usage = result.usage;
      sticky?.learn(report);
      gateway.logger.info(
        {
          requestId,
          model,
          provider: report.provider,
          attempts: attemptCount(report),
          cached: report.cached,
          latencyMs: Math.round(performance.now() - startedAt),
        },
        "request served",
      );
      tracker.end(200, "success");
      return c.json(
        protocol.render(result, servedModel(route, report.provider, result)),
        200,
        routingHeaders(route, report),
      );
    } catch (error) {
      sticky?.learn(undefined);
      const response = errorResponse(
        c,
        gateway,
        protocol.renderError(describeError(error)),
        error,
        {
          requestId,
          model,
        },
      );
      tracker.end(response.status, "error", error);
      return response;
    }
  };
}

function servedModel(route: ModelRoute, provider: string | undefined, result: ChatResult): string {
  return (provider ? route.targets.get(provider)?.model : undefined) ?? result.model;
}

/** The response body of a committed stream: parts encoded as they come, an error event on failure. */
function sseBody(
  session: StreamSession<ChatRequest, ChatResult, ChatStreamPart>,
  streamEncoder: ClientStreamEncoder,
  tracker: RequestTracker,
  onEnd: () => void,
): ReadableStream<Uint8Array> {
  const iterator = session[Symbol.asyncIterator]();
  let ended = false;
  const finish = (outcome: "success" | "interrupted", error?: unknown) => {
    if (ended) return;
    ended = true;
    tracker.end(200, outcome, error);
    onEnd();
  };
  let chunksSent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // Let the first chunk reach the socket before encoding the rest: when the upstream's
        // events are already buffered, the whole stream is otherwise encoded in one run of
        // promise jobs, and Node writes the first chunk (on process.nextTick) only after it.
        if (chunksSent === 1) await new Promise<void>((resolve) => setImmediate(resolve));
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            controller.enqueue(encoder.encode(streamEncoder.end()));
            controller.close();
            finish("success");
            return;
          }
          if (next.value.type === "usage") tracker.usage = next.value.usage;
          const text = streamEncoder.encode(next.value);
          if (text) {
            controller.enqueue(encoder.encode(text));
            chunksSent++;
            return;
          }
        }
      } catch (error) {
        try {
          controller.enqueue(encoder.encode(streamEncoder.fail(error)));
          controller.close();
        } catch {
          // The client is gone; nothing left to tell it.
        }
        finish("interrupted", error);
      }
    },
    async cancel() {
      finish("interrupted");
      await iterator.return?.();
    },
  });
}
