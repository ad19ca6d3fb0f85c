import type { CallReport } from "../../engine/call.js";
import type { NewStoredResponse, ResponseStore } from "../../store/response-store.js";
import type { Client } from "../auth/client-registry.js";
import { streamContinuationOf } from "../continuation/stream-continuation.js";
import type { GatewayContext } from "../gateway-context.js";
import { type Exchange, JsonText } from "../http/exchange.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import { omittedReasoningNotes } from "../passthrough/omitted-reasoning.js";
import { planResponsesCall, RESPONSES_WIRE } from "../passthrough/plan-responses-call.js";
import { isResponse, RelayedEnd } from "../passthrough/relayed-end.js";
import { GatewayRequestError } from "../protocols/gateway-request-error.js";
import {
  parseResponsesRequest,
  type ResponsesTurn,
} from "../protocols/responses/parse-responses-request.js";
import {
  finishResponse,
  outputItems,
  type ResponseObject,
  responseId,
  responseShell,
} from "../protocols/responses/render-response.js";
import { ResponsesStreamEncoder } from "../protocols/responses/responses-stream-encoder.js";
import type { StoredItem } from "../protocols/responses/stored-items.js";
import type { ModelRoute } from "../routing/model-route.js";
import { admit } from "./admit.js";
import {
  generateThroughChain,
  onStreamEnd,
  SSE_HEADERS,
  servedModel,
  streamEvents,
  streamThroughChain,
} from "./chat-route.js";
import type { RequestTracker } from "./request-tracker.js";
import { chainOf } from "./route-chain.js";
import type { ExchangeRoute } from "./serve-exchange.js";

/** Who owns a stored response: the client's name, "" when the gateway has no client keys. */
export function ownerOf(client: Client | undefined): string {
  return client?.name ?? "";
}

/**
 * `POST /v1/responses`: the Responses API, served by any chat target through the failover engine.
 * A `previous_response_id` continues a stored conversation; with `store` (the default, unless the
 * operator turned storage off) the answer is stored before its last byte is sent, so it can be
 * continued on any instance sharing the store.
 */
export function responsesRoute(
  gateway: GatewayContext,
  responseStore: () => ResponseStore,
): ExchangeRoute["handle"] {
  return async (exchange, tracker) => {
    const startedAt = performance.now();
    const admission = await admit(gateway, exchange, tracker, parseResponsesRequest, {
      routing: true,
    });
    const { state, client, body, parsed: turn } = admission;
    const model = turn.request.model;
    const store = responseStore();
    const owner = ownerOf(client);
    const history = await historyOf(store, turn, owner);
    const keep = state.config.responses.store && turn.store;
    const conversation: Conversation = {
      store,
      owner,
      keep,
      turn,
      history,
      ttlMs: state.config.responses.ttlMs,
    };
    const chain = chainOf(admission, exchange.signal, tracker);
    const plan = (route: ModelRoute) => {
      const planned = planResponsesCall(
        route,
        turn,
        body as Record<string, unknown>,
        history,
        exchange.headers,
      );
      tracker.addNotes(
        omittedReasoningNotes(planned.request, route.targets.values(), RESPONSES_WIRE),
      );
      return planned;
    };
    const id = responseId();
    const createdAt = Math.floor(Date.now() / 1000);
    if (turn.stream) {
      const outcome = await streamThroughChain(chain, plan, tracker);
      const { route, value: session, report } = outcome;
      const shell = responseShell(turn, {
        id,
        model: route.targets.get(session.targetId)?.model ?? model,
        createdAt,
        store: keep,
      });
      const encoder = new ResponsesStreamEncoder(shell);
      const relayed = new RelayedEnd(encoder);
      // Relayed Responses streams are not continued (the protocol has no `seam`): see docs.
      const { request } = outcome.plan;
      const continuation = streamContinuationOf(route, () => ({
        request: request.messages.length > 0 ? request : undefined,
        options: outcome.options,
        tracker,
        session,
        wireSeam: undefined,
        startedAtMs: startedAt,
        logger: gateway.logger,
        requestId: exchange.requestId,
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
            relay: (event) => relayed.relay(event),
            beforeEnd: async () => {
              const end = relayed.end();
              if (end === undefined) return keepResponse(conversation, encoder.response());
              if (end.response) await keepResponse(conversation, end.response);
              return end.text;
            },
            ...(continuation ? { continuation } : {}),
          },
        ),
      );
      return;
    }
    const outcome = await generateThroughChain(chain, plan, tracker);
    const { route, report } = outcome;
    const { result } = outcome.value;
    if (result.wireBody !== undefined) {
      // A Responses upstream's answer, relayed as sent and stored under the upstream's own id.
      const upstream: unknown = JSON.parse(result.wireBody);
      if (isResponse(upstream)) await keepResponse(conversation, upstream);
      served(gateway, exchange, tracker, report);
      exchange.sendJson(200, new JsonText(result.wireBody), routingHeaders(route, report));
      return;
    }
    const shell = responseShell(turn, {
      id,
      model: servedModel(route, report.targetId, result),
      createdAt,
      store: keep,
    });
    const response = finishResponse(
      shell,
      outputItems(result),
      result.finishReason,
      result.usage,
      Math.floor(Date.now() / 1000),
    );
    await keepResponse(conversation, response);
    served(gateway, exchange, tracker, report);
    exchange.sendJson(200, response, routingHeaders(route, report));
  };
}

interface Conversation {
  store: ResponseStore;
  owner: string;
  keep: boolean;
  turn: ResponsesTurn;
  history: StoredItem[];
  ttlMs: number;
}

/** The items of the conversation a `previous_response_id` continues; a 404 when unknown. */
async function historyOf(
  store: ResponseStore,
  turn: ResponsesTurn,
  owner: string,
): Promise<StoredItem[]> {
  const previous = turn.body.previous_response_id;
  if (!previous) return [];
  const stored = await store.get(previous, owner);
  if (!stored) throw responseNotFound(previous, "previous_response_id");
  return [
    ...(stored.history as StoredItem[]),
    ...(stored.inputItems as StoredItem[]),
    ...((stored.response.output ?? []) as StoredItem[]),
  ];
}

function served(
  gateway: GatewayContext,
  exchange: Exchange,
  tracker: RequestTracker,
  report: CallReport,
): void {
  gateway.logger.info(
    {
      requestId: exchange.requestId,
      model: tracker.model,
      targetId: report.targetId,
      attempts: attemptCount(report),
    },
    "request served",
  );
  tracker.end(200, "success");
}

/** A response object as stored: the gateway's own, or a Responses upstream's as it sent it. */
type StoredResponseObject = { id: string } & (ResponseObject | Record<string, unknown>);

/** Stores a finished response when the client and the operator want it kept. */
async function keepResponse(
  conversation: Conversation,
  response: StoredResponseObject,
): Promise<undefined> {
  if (!conversation.keep) return undefined;
  const record: NewStoredResponse = {
    id: response.id,
    owner: conversation.owner,
    response: response as unknown as Record<string, unknown>,
    inputItems: conversation.turn.items,
    history: conversation.history,
  };
  await conversation.store.put(record, conversation.ttlMs);
  return undefined;
}

/** The vendor's 404 for a response id it does not know (or that belongs to someone else). */
export function responseNotFound(id: string, param?: string): GatewayRequestError {
  const shown = id.length > 100 ? `${id.slice(0, 100)}...` : id;
  return new GatewayRequestError(`Response with id '${shown}' not found.`, {
    status: 404,
    code: "not_found",
    ...(param ? { param } : {}),
  });
}
