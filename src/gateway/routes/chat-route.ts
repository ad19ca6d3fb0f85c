import type { StreamSession } from "../../engine/stream-session.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { ObservedOutcome } from "../../observe/request-observer.js";
import type { GatewayContext } from "../gateway-context.js";
import type { EventSource, Exchange } from "../http/exchange.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import type { ChatProtocol, ClientStreamEncoder } from "../protocols/chat-protocol.js";
import { type Stickiness, stickiness } from "../routing/affinity.js";
import type { ModelRoute } from "../routing/model-router.js";
import { admit } from "./admit.js";
import type { RequestTracker } from "./request-tracker.js";
import { clientClosed, type ExchangeRoute } from "./serve-exchange.js";

/** How a committed stream can end. */
export type StreamOutcome = Exclude<ObservedOutcome, "error">;

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/**
 * A chat endpoint in one client protocol: admitted (`admit`), routed through the model's failover
 * engine, answered in the same protocol. Streams commit when the first upstream chunk arrives:
 * before that any failure is thrown, for the wrapper to answer as an ordinary error response; after
 * it, it becomes an error event in the protocol.
 */
export function chatRoute(
  gateway: GatewayContext,
  protocol: ChatProtocol,
): ExchangeRoute["handle"] {
  return async (exchange, tracker) => {
    const { requestId } = exchange;
    const startedAt = performance.now();
    const { client, parsed, route } = await admit(gateway, exchange, tracker, (body) =>
      protocol.parse(body),
    );
    const { request, stream, includeUsage } = parsed;
    const model = request.model;
    let sticky: Stickiness | undefined;
    try {
      sticky = route.affinity
        ? await stickiness(route.affinity, client?.name, route.name)
        : undefined;
      const options = {
        ...route.chatOptions,
        signal: exchange.signal,
        ...(sticky?.selector ? { selector: sticky.selector } : {}),
      };
      if (stream) {
        const session = await tracker.run(() => route.chat.openStream(request, options));
        tracker.committed(session.report);
        sticky?.learn(session.report);
        const target = route.targets.get(session.targetId);
        const encoder = protocol.encoder(target?.model ?? request.model, includeUsage);
        exchange.sendStream(
          { ...SSE_HEADERS, ...routingHeaders(route, session.report) },
          streamEvents(
            session,
            encoder,
            tracker,
            exchange.signal,
            onStreamEnd(gateway, exchange, tracker, session),
          ),
        );
        return;
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
          targetId: report.targetId,
          attempts: attemptCount(report),
          cached: report.cached,
          latencyMs: Math.round(performance.now() - startedAt),
        },
        "request served",
      );
      tracker.end(200, "success");
      exchange.sendJson(
        200,
        protocol.render(result, servedModel(route, report.targetId, result)),
        routingHeaders(route, report),
      );
    } catch (error) {
      sticky?.learn(undefined);
      throw error;
    }
  };
}

/** What a committed stream does when it stops: records the outcome and logs it (a 499 if the client left). */
export function onStreamEnd(
  gateway: GatewayContext,
  exchange: Exchange,
  tracker: RequestTracker,
  session: StreamSession<ChatRequest, ChatResult, ChatStreamPart>,
): (outcome: StreamOutcome, failure: unknown) => void {
  return (outcome, failure) => {
    if (outcome === "client_closed") {
      clientClosed(gateway, exchange, tracker, failure);
      return;
    }
    tracker.end(200, outcome, failure);
    gateway.logger.info(
      {
        requestId: exchange.requestId,
        model: tracker.model,
        targetId: session.targetId,
        attempts: attemptCount(session.report),
        stream: true,
      },
      "stream ended",
    );
  };
}

export function servedModel(
  route: ModelRoute,
  targetId: string | undefined,
  result: ChatResult,
): string {
  return (targetId ? route.targets.get(targetId)?.model : undefined) ?? result.model;
}

/**
 * A committed stream's events in the client protocol: its parts encoded as they come, then the
 * protocol's end, or an error event when the upstream fails mid-stream. However it stops (the end,
 * a failure, the client leaving: `client_closed`), `onEnd` is told once.
 */
export async function* streamEvents(
  session: StreamSession<ChatRequest, ChatResult, ChatStreamPart>,
  encoder: ClientStreamEncoder,
  tracker: RequestTracker,
  signal: AbortSignal,
  onEnd: (outcome: StreamOutcome, failure: unknown) => void,
  /** Runs after the last part and before the protocol's end is sent (a stored response). */
  beforeEnd?: () => Promise<void>,
): EventSource {
  // Stays so only when the generator is closed at a `yield`: the client went away.
  let outcome: StreamOutcome = "client_closed";
  let failure: unknown;
  try {
    for await (const part of session) {
      if (part.type === "usage") tracker.usage = part.usage;
      const text = encoder.encode(part);
      if (text) yield text;
    }
    await beforeEnd?.();
    outcome = "success";
    yield encoder.end();
  } catch (error) {
    failure = error;
    if (!signal.aborted) {
      outcome = "interrupted";
      yield encoder.fail(error);
    }
  } finally {
    onEnd(outcome, failure);
  }
}
