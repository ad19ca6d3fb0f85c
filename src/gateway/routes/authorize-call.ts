import type { Client } from "../auth/client-registry.js";
import type { GatewayState } from "../gateway-context.js";
import type { HeaderSource } from "../http/exchange.js";
import {
  GatewayRequestError,
  invalidVirtualKeyError,
  unknownModelError,
} from "../protocols/gateway-request-error.js";
import type { ModelRoute } from "../routing/model-router.js";

/** Checks the virtual key; throws the 401 to answer with. */
export function authenticate(state: GatewayState, headers: HeaderSource): Client | undefined {
  const authentication = state.clients.authenticate(headers);
  if (!authentication.ok)
    throw invalidVirtualKeyError({ missing: authentication.reason === "missing" });
  return authentication.client;
}

/** Finds the model's route and checks the client may use it; throws the 404 or 403 to answer with. */
export function resolveRoute(
  state: GatewayState,
  client: Client | undefined,
  model: string,
): ModelRoute {
  const route = state.router.route(model);
  if (!route) throw unknownModelError(model);
  if (client?.models && !client.models.has(route.name)) {
    throw new GatewayRequestError(
      `the client '${client.name}' may not use the model '${route.name}'`,
      {
        status: 403,
        param: "model",
        code: "model_not_allowed",
      },
    );
  }
  return route;
}
