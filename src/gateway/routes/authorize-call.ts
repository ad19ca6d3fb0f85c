import type { Client } from "../auth/client-registry.js";
import type { GatewayState } from "../gateway-context.js";
import type { HeaderSource } from "../http/exchange.js";
import {
  echoed,
  GatewayRequestError,
  invalidVirtualKeyError,
  unknownModelError,
} from "../protocols/gateway-request-error.js";
import type { ModelRoute } from "../routing/model-route.js";

/** Checks the virtual key; throws the 401 to answer with. */
export function authenticate(state: GatewayState, headers: HeaderSource): Client | undefined {
  const authentication = state.clients.authenticate(headers);
  if (!authentication.ok)
    throw invalidVirtualKeyError({ missing: authentication.reason === "missing" });
  return authentication.client;
}

/**
 * Finds the route of a model name and checks the client may use it; throws the 404 or 403 to answer
 * with. The name is matched first (a configured name, `provider/model`, a wildcard: nothing built),
 * then checked against the client's allow-list, and only then is a route made on demand. `param`
 * names where the name came from (`model`, or `models` for a fallback list).
 */
export function resolveRoute(
  state: GatewayState,
  client: Client | undefined,
  model: string,
  param = "model",
): ModelRoute {
  const match = state.router.match(model);
  if (!match) throw unknownModelError(model, param);
  if (client?.models && !client.models.allows(model)) {
    throw new GatewayRequestError(
      `the client '${client.name}' may not use the model '${echoed(model)}'`,
      { status: 403, param, code: "model_not_allowed" },
    );
  }
  return state.router.open(match);
}
