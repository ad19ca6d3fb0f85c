import type { CallOptions } from "../../engine/call.js";
import type { StreamSession } from "../../engine/stream-session.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart, WireEventPart } from "../../llm/stream-part.js";
import type { ObservedOutcome } from "../../observe/request-observer.js";
import type { GatewayContext } from "../gateway-context.js";
import { type EventSource, type Exchange, JsonText } from "../http/exchange.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import { omittedReasoningNotes } from "../passthrough/omitted-reasoning.js";
import { modelOfBody, planChatCall } from "../passthrough/plan-chat-call.js";
import type {
  ChatProtocol,
  ClientChatRequest,
  ClientStreamEncoder,
} from "../protocols/chat-protocol.js";
import type { ParseResult } from "../protocols/gateway-request-error.js";
import { type Stickiness, stickiness } from "../routing/affinity.js";
import type { ModelRoute } from "../routing/model-router.js";
import { admit } from "./admit.js";
import type { RequestTracker } from "./request-tracker.js";
import { clientClosed, type ExchangeRoute } from "./serve-exchange.js";

/** What a stream's pump does besides encoding parts. */
export interface StreamHooks {
  /** Each relayed upstream event (same-protocol pass-through), observed and possibly rewritten. */
  relay?: (event: WireEventPart) => string;
  /**
   * Runs after the last part and before the protocol's end is sent (a stored response); text it
   * returns is sent then (a relayed end event held back until the response was stored).
   */
  beforeEnd?: () => Promise<string | undefined>;
}

/** A chat request as admitted: its model, and the unified parse (which may have refused it). */
interface AdmittedChat {
  request: { model: string };
  unified: ParseResult<ClientChatRequest>;
}

/**
 * The admission parse of a chat request: the unified parse, whose refusal is final only when no
 * same-protocol target could take the body as it came (`planChatCall` decides), and the model.
 */
function admitChat(protocol: ChatProtocol, body: unknown): ParseResult<AdmittedChat> {
  const unified = protocol.parse(body);
  return { ok: true, value: { request: { model: modelOfBody(protocol, body, unified) }, unified } };
}

/** How a committed stream can end. */
export type StreamOutcome = Exclude<ObservedOutcome, "error">;

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/**
 * A chat endpoint in one client protocol: admitted (`admit`), planned (which targets can take it,
 * and which get the client's own body: `planChatCall`), routed through the model's failover engine,
 * answered in the same protocol. Streams commit when the first upstream chunk arrives: before that
 * any failure is thrown, for the wrapper to answer as an ordinary error response; after it, it
 * becomes an error event in the protocol.
 */
export function chatRoute(
  gateway: GatewayContext,
  protocol: ChatProtocol,
): ExchangeRoute["handle"] {
  return async (exchange, tracker) => {
    const { requestId } = exchange;
    const startedAt = performance.now();
    const { client, body, parsed, route } = await admit(gateway, exchange, tracker, (raw) =>
      admitChat(protocol, raw),
    );
    const plan = planChatCall(protocol, route, body, parsed.unified, exchange.headers);
    const { request, stream, includeUsage } = plan;
    tracker.stream = stream;
    tracker.skipped = plan.ineligible;
    tracker.notes = omittedReasoningNotes(request, route.targets.values(), protocol.name);
    let sticky: Stickiness | undefined;
    try {
      sticky = await stickinessOf(route, client?.name);
      const options = chatCallOptions(route, exchange.signal, sticky, plan.targetIds);
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
            { relay: protocol.wire.relay({ includeUsage }) },
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
          model: tracker.model,
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
        result.wireBody === undefined
          ? protocol.render(result, servedModel(route, report.targetId, result))
          : new JsonText(result.wireBody),
        routingHeaders(route, report),
      );
    } catch (error) {
      sticky?.learn(undefined);
      throw error;
    }
  };
}

/** The client's cache affinity on this model, when the model keeps one (`affinity:`). */
export async function stickinessOf(
  route: ModelRoute,
  client: string | undefined,
): Promise<Stickiness | undefined> {
  return route.affinity ? stickiness(route.affinity, client, route.name) : undefined;
}

/** The engine options of one chat call: the model's, the affinity's pick, the plan's targets. */
export function chatCallOptions(
  route: ModelRoute,
  signal: AbortSignal,
  sticky: Stickiness | undefined,
  targetIds: string[] | undefined,
): CallOptions<ChatRequest> {
  return {
    ...route.chatOptions,
    signal,
    ...(sticky?.selector ? { selector: sticky.selector } : {}),
    ...(targetIds ? { targetIds } : {}),
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
  hooks: StreamHooks = {},
): EventSource {
  // Stays so only when the generator is closed at a `yield`: the client went away.
  let outcome: StreamOutcome = "client_closed";
  let failure: unknown;
  try {
    let relayed = false;
    for await (const part of session) {
      if (part.type === "wire-event") {
        relayed = true;
        const text = hooks.relay ? hooks.relay(part) : "";
        if (text) yield text;
        continue;
      }
      if (part.type === "usage") tracker.usage = part.usage;
      if (relayed) continue; // a pass-through's usage and finish are for accounting only
      const text = encoder.encode(part);
      if (text) yield text;
    }
    const held = await hooks.beforeEnd?.();
    outcome = "success";
    if (held) yield held;
    if (!relayed) yield encoder.end();
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
