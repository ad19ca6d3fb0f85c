import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import { type Exchange, JsonText } from "../http/exchange.js";
import { estimateTokens } from "../passthrough/estimate-tokens.js";
import { collectHeaders } from "../passthrough/plan-chat-call.js";
import type { ChatProtocol } from "../protocols/chat-protocol.js";
import { GatewayRequestError } from "../protocols/gateway-request-error.js";
import type { ModelRoute, Target } from "../routing/model-route.js";
import { authenticate, resolveRoute } from "./authorize-call.js";
import { checkClientLimits } from "./check-rate-limit.js";
import { sendError } from "./error-response.js";
import { preferTargets } from "./provider-preferences.js";
import { type ProviderPreferences, takeRoutingAsk } from "./routing-ask.js";

/** Marks an answer the gateway estimated itself rather than got from the model's vendor. */
export const TOKEN_COUNT_HEADER = "x-switchyard-token-count";

/**
 * Token counting in one protocol (`POST /v1/messages/count_tokens`): forwarded as it came to the
 * model's first target that speaks the protocol, in the order the model lists them; when it has none,
 * or none answers, an offline estimate marked `x-switchyard-token-count: estimate`.
 */
export function countTokensRoute(gateway: GatewayContext, protocol: ChatProtocol) {
  const path = protocol.wire.countTokensPath;
  return async (exchange: Exchange): Promise<void> => {
    try {
      const state = gateway.state();
      const client = authenticate(state, exchange.headers);
      const { maxBodyBytes, maxJsonDepth } = state.config.server;
      await checkClientLimits(gateway, client);
      const read = await exchange.readJson({ maxBytes: maxBodyBytes, maxDepth: maxJsonDepth });
      const providers = state.config.providers.map((entry) => entry.name);
      const { body, ask } = takeRoutingAsk(read, exchange.headers, providers);
      const model = modelOf(body);
      const route = resolveRoute(state, client, model);
      for (const target of preferredOrder(route, ask.provider)) {
        const forward = target.wire?.protocol === protocol.name ? target.wire.forward : undefined;
        if (!forward || !path) continue;
        const request = {
          protocol: protocol.name,
          body: body as Record<string, unknown>,
          stream: false,
          headers: collectHeaders(exchange.headers, [...(target.forwardHeaders ?? [])]),
        };
        const context = { signal: exchange.signal, attempt: 1, targetId: target.id };
        const answer = await forward(path, request, target.model, context).catch(() => undefined);
        if (!answer) continue;
        exchange.sendJson(answer.status, new JsonText(answer.body), {
          "x-switchyard-provider": target.provider,
          "x-switchyard-model": target.model,
        });
        return;
      }
      const inputTokens = await estimateTokens(body);
      exchange.sendJson(200, { input_tokens: inputTokens }, { [TOKEN_COUNT_HEADER]: "estimate" });
    } catch (error) {
      sendError(exchange, gateway, protocol.renderError(describeError(error)), error, {});
    }
  };
}

/** The route's targets as the provider preferences order and filter them (the fallback list is not used). */
function preferredOrder(route: ModelRoute, preferences: ProviderPreferences | undefined): Target[] {
  const preferred = preferTargets(route, undefined, preferences);
  const kept = [...route.targets.values()].filter(
    (target) => !preferred.targetIds || preferred.targetIds.includes(target.id),
  );
  const order = preferred.first;
  const rank = (target: Target) => {
    const at = order.indexOf(target.id);
    return at < 0 ? order.length : at;
  };
  return kept.sort((a, b) => rank(a) - rank(b));
}

function modelOf(body: unknown): string {
  const model =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>).model : undefined;
  if (typeof model === "string" && model !== "") return model;
  throw new GatewayRequestError("model: Field required", {
    status: 400,
    param: "model",
    code: "missing_required_parameter",
  });
}
