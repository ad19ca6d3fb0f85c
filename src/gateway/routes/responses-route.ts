import type { StreamSession } from "../../engine/stream-session.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { NewStoredResponse, ResponseStore } from "../../store/response-store.js";
import type { Client } from "../auth/client-registry.js";
import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import type { EventSource, Exchange } from "../http/exchange.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import { GatewayRequestError } from "../protocols/gateway-request-error.js";
import { renderError } from "../protocols/openai/render-error.js";
import {
  parseResponsesRequest,
  type ResponsesTurn,
  type StoredItem,
  toChatRequest,
} from "../protocols/responses/parse-responses-request.js";
import {
  finishResponse,
  outputItems,
  type ResponseObject,
  responseId,
  responseShell,
} from "../protocols/responses/render-response.js";
import { ResponsesStreamEncoder } from "../protocols/responses/responses-stream-encoder.js";
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
export function responsesRoute(gateway: GatewayContext, responseStore: () => ResponseStore) {
  return async (exchange: Exchange): Promise<void> => {
    const state = gateway.state();
    const { requestId } = exchange;
    let model: string | undefined;
    let sticky: Stickiness | undefined;
    const tracker = new RequestTracker(gateway.observer, {
      requestId,
      endpoint: "chat",
      protocol: "responses",
    });
    try {
      const client = authenticate(state, exchange.headers);
      tracker.client = client?.name;
      const limited = await checkRateLimit(gateway, client);
      if (limited) {
        const status = sendError(exchange, gateway, renderError(limited), undefined, {
          client: client?.name,
        });
        tracker.end(status, "error");
        return;
      }
      if (client) await gateway.budget?.check(client.name);
      const body = await exchange.readJson(state.config.server.maxBodyBytes);
      const parsed = parseResponsesRequest(body);
      if (!parsed.ok) throw parsed.error;
      const turn = parsed.value;
      model = turn.request.model;
      tracker.model = model;
      tracker.stream = turn.stream;
      const route = resolveRoute(state, client, model);
      tracker.route = route;
      const store = responseStore();
      const owner = ownerOf(client);
      const history = await historyOf(store, turn, owner);
      const { request, omittedReasoningItems } = toChatRequest(turn, history);
      if (omittedReasoningItems > 0) {
        gateway.logger.info(
          { requestId, model, omittedReasoningItems },
          "reasoning items left out: they cannot be replayed to a translated target",
        );
      }
      const keep = state.config.responses.store && turn.store;
      const conversation: Conversation = {
        store,
        owner,
        keep,
        turn,
        history,
        ttlMs: state.config.responses.ttlMs,
      };
      sticky = route.affinity
        ? await stickiness(route.affinity, client?.name, route.name)
        : undefined;
      const options = {
        ...route.chatOptions,
        signal: exchange.signal,
        ...(sticky?.selector ? { selector: sticky.selector } : {}),
      };
      const id = responseId();
      const createdAt = Math.floor(Date.now() / 1000);
      if (turn.stream) {
        const session = await tracker.run(() => route.chat.openStream(request, options));
        tracker.committed(session.report);
        sticky?.learn(session.report);
        const shell = responseShell(turn, {
          id,
          model: servedModel(route, session.provider, undefined) ?? model,
          createdAt,
          store: keep,
        });
        exchange.sendStream(
          { ...SSE_HEADERS, ...routingHeaders(route, session.report) },
          streamEvents(session, new ResponsesStreamEncoder(shell), tracker, conversation, () =>
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
      const shell = responseShell(turn, {
        id,
        model: servedModel(route, report.provider, result) ?? model,
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
      gateway.logger.info(
        { requestId, model, provider: report.provider, attempts: attemptCount(report) },
        "request served",
      );
      tracker.end(200, "success");
      exchange.sendJson(200, response, routingHeaders(route, report));
    } catch (error) {
      sticky?.learn(undefined);
      const status = sendError(exchange, gateway, renderError(describeError(error)), error, {
        model,
      });
      tracker.end(status, "error", error);
    }
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

/** Stores a finished response when the client and the operator want it kept. */
async function keepResponse(conversation: Conversation, response: ResponseObject): Promise<void> {
  if (!conversation.keep) return;
  const record: NewStoredResponse = {
    id: response.id,
    owner: conversation.owner,
    response: response as unknown as Record<string, unknown>,
    inputItems: conversation.turn.items,
    history: conversation.history,
  };
  await conversation.store.put(record, conversation.ttlMs);
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

function servedModel(
  route: ModelRoute,
  provider: string | undefined,
  result: ChatResult | undefined,
): string | undefined {
  return (provider ? route.targets.get(provider)?.model : undefined) ?? result?.model;
}

/**
 * A committed stream's events: its parts encoded as they come; at the end the response is stored
 * before `response.completed` goes out, or the stream ends with `response.failed`.
 */
async function* streamEvents(
  session: StreamSession<ChatRequest, ChatResult, ChatStreamPart>,
  encoder: ResponsesStreamEncoder,
  tracker: RequestTracker,
  conversation: Conversation,
  onEnd: () => void,
): EventSource {
  let outcome: "success" | "interrupted" = "interrupted";
  let failure: unknown;
  try {
    for await (const part of session) {
      if (part.type === "usage") tracker.usage = part.usage;
      const text = encoder.encode(part);
      if (text) yield text;
    }
    await keepResponse(conversation, encoder.response());
    outcome = "success";
    yield encoder.end();
  } catch (error) {
    failure = error;
    yield encoder.fail(error);
  } finally {
    tracker.end(200, outcome, failure);
    onEnd();
  }
}
