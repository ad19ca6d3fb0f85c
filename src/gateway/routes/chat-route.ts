import type { StreamSession } from "../../engine/stream-session.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart, WireEventPart } from "../../llm/stream-part.js";
import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import { type EventSource, type Exchange, JsonText } from "../http/exchange.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import { modelOfBody, planChatCall } from "../passthrough/plan-chat-call.js";
import type { ChatProtocol, ClientStreamEncoder } from "../protocols/chat-protocol.js";
import { type Stickiness, stickiness } from "../routing/affinity.js";
import type { ModelRoute } from "../routing/model-router.js";
import { authenticate, resolveRoute } from "./authorize-call.js";
import { checkRateLimit } from "./check-rate-limit.js";
import { sendError } from "./error-response.js";
import { RequestTracker } from "./request-tracker.js";

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
  return async (exchange: Exchange): Promise<void> => {
    const state = gateway.state();
    const { requestId } = exchange;
    const startedAt = performance.now();
    let model: string | undefined;
    let sticky: Stickiness | undefined;
    const tracker = new RequestTracker(gateway.observer, {
      requestId,
      endpoint: "chat",
      protocol: protocol.name,
    });
    try {
      const client = authenticate(state, exchange.headers);
      tracker.client = client?.name;
      const limited = await checkRateLimit(gateway, client);
      if (limited) {
        const rendered = protocol.renderError(limited);
        const status = sendError(exchange, gateway, rendered, undefined, { client: client?.name });
        tracker.end(status, "error");
        return;
      }
      if (client) await gateway.budget?.check(client.name);
      const body = await exchange.readJson(state.config.server.maxBodyBytes);
      const parsed = protocol.parse(body);
      model = modelOfBody(protocol, body, parsed);
      tracker.model = model;
      const route = resolveRoute(state, client, model);
      tracker.route = route;
      const plan = planChatCall(protocol, route, body, parsed, exchange.headers);
      const { request, stream, includeUsage } = plan;
      tracker.stream = stream;
      tracker.skipped = plan.ineligible;
      sticky = route.affinity
        ? await stickiness(route.affinity, client?.name, route.name)
        : undefined;
      const options = {
        ...route.chatOptions,
        signal: exchange.signal,
        ...(sticky?.selector ? { selector: sticky.selector } : {}),
        ...(plan.providers ? { providers: plan.providers } : {}),
      };
      if (stream) {
        const session = await tracker.run(() => route.chat.openStream(request, options));
        tracker.committed(session.report);
        sticky?.learn(session.report);
        const target = route.targets.get(session.provider);
        const encoder = protocol.encoder(target?.model ?? request.model, includeUsage);
        exchange.sendStream(
          { ...SSE_HEADERS, ...routingHeaders(route, session.report) },
          streamEvents(session, encoder, protocol.wire.relay({ includeUsage }), tracker, () =>
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
          provider: report.provider,
          attempts: attemptCount(report),
          cached: report.cached,
          latencyMs: Math.round(performance.now() - startedAt),
        },
        "request served",
      );
      tracker.end(200, "success");
      exchange.sendJson(
        200,
        result.wireBody === undefined
          ? protocol.render(result, servedModel(route, report.provider, result))
          : new JsonText(result.wireBody),
        routingHeaders(route, report),
      );
    } catch (error) {
      sticky?.learn(undefined);
      const rendered = protocol.renderError(describeError(error));
      const status = sendError(exchange, gateway, rendered, error, { model });
      tracker.end(status, "error", error);
    }
  };
}

function servedModel(route: ModelRoute, provider: string | undefined, result: ChatResult): string {
  return (provider ? route.targets.get(provider)?.model : undefined) ?? result.model;
}

/**
 * A committed stream's events in the client protocol: its parts encoded as they come, then the
 * protocol's end, or an error event when the upstream fails mid-stream. However it stops (the end,
 * a failure, the client leaving), the request is told once.
 */
async function* streamEvents(
  session: StreamSession<ChatRequest, ChatResult, ChatStreamPart>,
  encoder: ClientStreamEncoder,
  relay: (event: WireEventPart) => string,
  tracker: RequestTracker,
  onEnd: () => void,
): EventSource {
  let outcome: "success" | "interrupted" = "interrupted";
  let failure: unknown;
  try {
    let relayed = false;
    for await (const part of session) {
      if (part.type === "wire-event") {
        relayed = true;
        const text = relay(part);
        if (text) yield text;
        continue;
      }
      if (part.type === "usage") tracker.usage = part.usage;
      if (relayed) continue; // a pass-through's usage and finish are for accounting only
      const text = encoder.encode(part);
      if (text) yield text;
    }
    outcome = "success";
    if (!relayed) yield encoder.end();
  } catch (error) {
    failure = error;
    yield encoder.fail(error);
  } finally {
    tracker.end(200, outcome, failure);
    onEnd();
  }
}
