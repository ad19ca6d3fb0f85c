import type { CallOptions, CallReport } from "../../engine/call.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart, WireEvent } from "../../llm/stream-part.js";
import type { ObservedOutcome } from "../../observe/request-observer.js";
import {
  type StreamContinuation,
  streamContinuationOf,
} from "../continuation/stream-continuation.js";
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
import type { ModelRoute } from "../routing/model-route.js";
import { refusedCall } from "../routing/refusals.js";
import { admit } from "./admit.js";
import type { ChatSession } from "./chat-session.js";
import type { RequestTracker } from "./request-tracker.js";
import {
  type ChainContext,
  type ChainOutcome,
  chainOf,
  type PlannedTargets,
  runChain,
} from "./route-chain.js";
import { clientClosed, type ExchangeRoute } from "./serve-exchange.js";

/** What a stream's pump does besides encoding parts. */
export interface StreamHooks {
  /** Each relayed upstream event (same-protocol pass-through), observed and possibly rewritten. */
  relay?: (event: WireEvent) => string;
  /**
   * Runs after the last part and before the protocol's end is sent (a stored response); text it
   * returns is sent then (a relayed end event held back until the response was stored).
   */
  beforeEnd?: () => Promise<string | undefined>;
  /** Stream recovery: continues a stream that breaks after its commit point on another target. */
  continuation?: StreamContinuation;
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

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How a committed stream can end. */
export type StreamOutcome = Exclude<ObservedOutcome, "error">;

/** The headers of every streamed answer, in any client protocol. */
export const SSE_HEADERS = {
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
    const admission = await admit(gateway, exchange, tracker, (raw) => admitChat(protocol, raw), {
      routing: true,
    });
    const { body, parsed } = admission;
    const chain = chainOf(admission, exchange.signal, tracker);
    const plan = (route: ModelRoute) => {
      const planned = planChatCall(protocol, route, body, parsed.unified, exchange.headers);
      tracker.addNotes(
        omittedReasoningNotes(planned.request, route.targets.values(), protocol.name),
      );
      return planned;
    };
    const stream = parsed.unified.ok
      ? parsed.unified.value.stream
      : isRecord(body) && protocol.wire.flags(body).stream;
    tracker.stream = stream;
    if (stream) {
      const served = await streamThroughChain(chain, plan, tracker);
      const { route, value: session, report } = served;
      const target = route.targets.get(session.targetId);
      const encoder = protocol.encoder(
        target?.model ?? served.plan.request.model,
        served.plan.includeUsage,
      );
      const includeUsage = served.plan.includeUsage;
      const continuation = streamContinuationOf(route, () => ({
        request: continuable(protocol, body, parsed.unified),
        options: served.options,
        tracker,
        session,
        wireSeam: protocol.wire.seam?.({ includeUsage }),
        startedAtMs: startedAt,
        logger: gateway.logger,
        requestId,
      }));
      exchange.sendStream(
        { ...SSE_HEADERS, ...routingHeaders(route, report) },
        streamEvents(
          session,
          encoder,
          tracker,
          exchange.signal,
          onStreamEnd(gateway, exchange, tracker, session),
          {
            relay: protocol.wire.relay({ includeUsage }),
            ...(continuation ? { continuation } : {}),
          },
        ),
      );
      return;
    }
    const served = await generateThroughChain(chain, plan, tracker);
    const { route, report } = served;
    const { result } = served.value;
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
  };
}

/**
 * The unified request a stream continuation may be built from: none when the client's body could
 * not be translated (the unified parse refused it, or it uses fields with no counterpart elsewhere).
 */
function continuable(
  protocol: ChatProtocol,
  body: unknown,
  parsed: ParseResult<ClientChatRequest>,
): ChatRequest | undefined {
  if (!parsed.ok) return undefined;
  const raw = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  return protocol.wire.untranslatable(raw).length === 0 ? parsed.value.request : undefined;
}

/**
 * Opens a chat stream through the model's engine. When the call failed and some target refused on
 * content policy with an answer (`contentFilterFallback`), that refusal's stream is the outcome, as
 * it would have been from that target alone.
 */
export async function openChatStream(
  route: ModelRoute,
  request: ChatRequest,
  options: CallOptions<ChatRequest>,
): Promise<ChatSession> {
  try {
    return await route.chat.openStream(request, options);
  } catch (error) {
    const refused = refusedCall(error);
    if (!refused || !("parts" in refused.answer)) throw error;
    const parts = refused.answer.parts;
    return {
      targetId: refused.targetId,
      report: refused.report,
      async *[Symbol.asyncIterator]() {
        yield* parts;
      },
    };
  }
}

/**
 * A stream through the request's models (`runChain`), committed: the tracker and the cache affinity
 * are told which target serves it.
 */
export async function streamThroughChain<Plan extends PlannedTargets & { request: ChatRequest }>(
  chain: ChainContext,
  plan: (route: ModelRoute) => Plan,
  tracker: RequestTracker,
): Promise<ChainOutcome<Plan, ChatSession>> {
  const served = await runChain(chain, {
    plan,
    call: (route, { request }, options) =>
      tracker.run(() => openChatStream(route, request, options)),
    reportOf: (session) => session.report,
  });
  tracker.committed(served.report);
  served.sticky?.learn(served.report);
  return served;
}

/**
 * A whole answer through the request's models (`runChain`): the tracker gets its report and usage,
 * the cache affinity the target that served it.
 */
export async function generateThroughChain<Plan extends PlannedTargets & { request: ChatRequest }>(
  chain: ChainContext,
  plan: (route: ModelRoute) => Plan,
  tracker: RequestTracker,
): Promise<ChainOutcome<Plan, { result: ChatResult; report: CallReport }>> {
  const served = await runChain(chain, {
    plan,
    call: (route, { request }, options) => tracker.run(() => generateChat(route, request, options)),
    reportOf: (outcome) => outcome.report,
  });
  tracker.report = served.report;
  tracker.usage = served.value.result.usage;
  served.sticky?.learn(served.report);
  return served;
}

/** A whole chat answer through the model's engine; a refused answer as `openChatStream` says. */
export async function generateChat(
  route: ModelRoute,
  request: ChatRequest,
  options: CallOptions<ChatRequest>,
): Promise<{ result: ChatResult; report: CallReport }> {
  try {
    return await route.chat.generateWithReport(request, options);
  } catch (error) {
    const refused = refusedCall(error);
    if (!refused || !("result" in refused.answer)) throw error;
    return { result: refused.answer.result, report: refused.report };
  }
}

/** What a committed stream does when it stops: records the outcome and logs it (a 499 if the client left). */
export function onStreamEnd(
  gateway: GatewayContext,
  exchange: Exchange,
  tracker: RequestTracker,
  session: ChatSession,
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
  session: ChatSession,
  encoder: ClientStreamEncoder,
  tracker: RequestTracker,
  signal: AbortSignal,
  onEnd: (outcome: StreamOutcome, failure: unknown) => void,
  hooks: StreamHooks = {},
): EventSource {
  // Stays so only when the generator is closed at a `yield`: the client went away.
  let outcome: StreamOutcome = "client_closed";
  let failure: unknown;
  let client = encoder;
  try {
    let relayed = false;
    const { continuation } = hooks;
    let parts: AsyncIterable<ChatStreamPart> = continuation ? continuation.watch(session) : session;
    for (;;) {
      try {
        for await (const part of parts) {
          if (part.type === "wire-events") {
            relayed = true;
            const { relay } = hooks;
            if (relay === undefined) continue;
            let text = "";
            for (const event of part.events) text += relay(event);
            if (text) yield text;
            continue;
          }
          if (part.type === "usage") tracker.usage = part.usage;
          if (relayed) continue; // a pass-through's usage and finish are for accounting only
          const text = client.encode(part);
          if (text) yield text;
        }
        break;
      } catch (error) {
        // Stream recovery: the rest of the answer from another target, in the same client stream.
        const continued = signal.aborted ? undefined : await continuation?.recover(error);
        if (!continued) throw error;
        yield continued.seam;
        parts = continued.parts;
        if (continued.encoder) client = continued.encoder;
        relayed = false;
      }
    }
    const held = await hooks.beforeEnd?.();
    outcome = "success";
    if (held) yield held;
    if (!relayed) yield client.end();
  } catch (error) {
    failure = error;
    if (!signal.aborted) {
      outcome = "interrupted";
      yield client.fail(error);
    }
  } finally {
    onEnd(outcome, failure);
  }
}
