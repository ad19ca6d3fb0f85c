import type { ChatRequest } from "../../llm/chat.js";
import { contentFeatures } from "../../llm/content-features.js";
import type { HeaderSource } from "../http/exchange.js";
import type { GatewayRequestError } from "../protocols/gateway-request-error.js";
import {
  type ResponsesTurn,
  toChatRequest,
} from "../protocols/responses/parse-responses-request.js";
import type { StoredItem } from "../protocols/responses/stored-items.js";
import { isUntranslatable } from "../protocols/responses/untranslatable.js";
import type { ModelRoute, Target } from "../routing/model-route.js";
import {
  type ChatCallPlan,
  collectHeaders,
  contentIneligibility,
  noTargetLeftError,
  skippedAttempt,
} from "./plan-chat-call.js";

/** The wire protocol name of a Responses upstream's pass-through. */
export const RESPONSES_WIRE = "responses";

/** How one Responses turn is to be called: the unified request, and the body for Responses targets. */
export interface ResponsesCallPlan extends Pick<ChatCallPlan, "targetIds" | "ineligible"> {
  request: ChatRequest;
}

/**
 * Decides which targets of a route can serve a Responses turn, as `planChatCall` does for chat: a
 * target whose upstream speaks Responses gets the client's body as it came (`ChatRequest.wire`),
 * with the stored conversation in `input` instead of `previous_response_id` (the upstream does not
 * know the gateway's ids) and `store: false` (the gateway keeps the state); any other target gets
 * the unified request, unless the turn uses something only Responses has (a built-in tool, an
 * `input_file` part, an `item_reference`). None left: that field's 400.
 */
export function planResponsesCall(
  route: ModelRoute,
  turn: ResponsesTurn,
  raw: Readonly<Record<string, unknown>>,
  history: readonly StoredItem[],
  headers: HeaderSource,
): ResponsesCallPlan {
  const targets = [...route.targets.values()];
  const passing = targets.filter((target) => target.wire?.protocol === RESPONSES_WIRE);
  let refused = turn.untranslatable;
  let translated: ReturnType<typeof toChatRequest> | undefined;
  if (!refused) {
    try {
      translated = toChatRequest(turn, history);
    } catch (error) {
      if (!isUntranslatable(error)) throw error;
      refused = error;
    }
  }
  if (refused && passing.length === 0) throw refused;
  const request: ChatRequest = translated?.request ?? { model: turn.request.model, messages: [] };
  if (passing.length > 0) {
    request.wire = {
      protocol: RESPONSES_WIRE,
      body: responsesWireBody(raw, history),
      stream: turn.stream,
      headers: collectHeaders(headers, route.wireHeaders ?? []),
    };
  }
  if (translated && passing.length < targets.length) {
    const content = contentPlan(route, targets, passing, translated.request);
    if (content) return { request, ...content };
  }
  if (!refused || passing.length === targets.length) {
    return {
      request,
      targetIds: undefined,
      ineligible: [],
    };
  }
  const reason = `cannot be translated to its protocol: ${(refused as GatewayRequestError).message}`;
  return {
    request,
    targetIds: passing.map((target) => target.id),
    ineligible: targets
      .filter((target) => !passing.includes(target))
      .map((target) => skippedAttempt(target, reason)),
  };
}

/** Translated targets whose adapter cannot send the turn's content; a 400 when no target is left. */
function contentPlan(
  route: ModelRoute,
  targets: readonly Target[],
  passing: readonly Target[],
  request: ChatRequest,
): Pick<ChatCallPlan, "targetIds" | "ineligible"> | undefined {
  const features = contentFeatures(request);
  if (features.length === 0) return undefined;
  const skipped = targets.flatMap((target) => {
    const reason = passing.includes(target) ? undefined : contentIneligibility(target, features);
    return reason ? [{ target, ...reason }] : [];
  });
  if (skipped.length === 0) return undefined;
  if (skipped.length === targets.length) throw noTargetLeftError(route, skipped);
  const left = new Set(skipped.map((entry) => entry.target));
  return {
    targetIds: targets.filter((target) => !left.has(target)).map((target) => target.id),
    ineligible: skipped.map(({ target, reason }) => skippedAttempt(target, reason)),
  };
}

/**
 * The client's body for a Responses upstream: as it came, but without `previous_response_id`, with
 * the stored conversation ahead of `input`, and `store: false`. Stored items go without the ids the
 * gateway gave them, except reasoning items, whose ids the upstream issued and needs back.
 */
export function responsesWireBody(
  raw: Readonly<Record<string, unknown>>,
  history: readonly StoredItem[],
): Record<string, unknown> {
  const { previous_response_id: _previous, ...rest } = raw;
  const body: Record<string, unknown> = rest;
  if (history.length > 0) {
    const input =
      typeof raw.input === "string" ? [{ role: "user", content: raw.input }] : raw.input;
    body.input = [...history.map(forUpstream), ...(Array.isArray(input) ? input : [])];
  }
  body.store = false;
  return body;
}

function forUpstream(item: StoredItem): Record<string, unknown> {
  if (item.type === "reasoning") return item;
  const { id: _id, ...rest } = item;
  return rest;
}
