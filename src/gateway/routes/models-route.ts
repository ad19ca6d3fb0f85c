import type { Context } from "hono";
import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import { openAIChatProtocol } from "../protocols/openai/chat-protocol.js";
import { renderModels } from "../protocols/openai/render-models.js";
import { authenticate } from "./authorize-call.js";
import { errorResponse } from "./error-response.js";

/** `GET /v1/models`: the models this client may call, logical and direct. */
export function modelsRoute(gateway: GatewayContext) {
  return (c: Context): Response => {
    const state = gateway.state();
    try {
      const client = authenticate(state, c.req.raw.headers);
      const names = [...state.router.routes.keys()].filter(
        (name) => !client?.models || client.models.allows(name),
      );
      return c.json(renderModels(names.map((id) => ({ id, ownedBy: "switchyard" }))));
    } catch (error) {
      const rendered = openAIChatProtocol.renderError(describeError(error));
      return errorResponse(c, gateway, rendered, error, {});
    }
  };
}
