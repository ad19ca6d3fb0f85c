import type { Client } from "../auth/client-registry.js";
import type { GatewayContext, GatewayState } from "../gateway-context.js";
import type { Exchange } from "../http/exchange.js";
import { echoed, type ParseResult } from "../protocols/gateway-request-error.js";
import type { ModelRoute } from "../routing/model-route.js";
import { authenticate, resolveRoute } from "./authorize-call.js";
import { checkClientLimits } from "./check-rate-limit.js";
import type { RequestTracker } from "./request-tracker.js";
import { type RoutingAsk, takeRoutingAsk } from "./routing-ask.js";

/** What a model request parses to: a unified request naming its model, and whether it streams. */
export interface ParsedModelRequest {
  request: { model: string };
  stream?: boolean;
}

/** An admitted request: what the route handler runs with. */
export interface Admission<Parsed> {
  /** The config the request runs on to its end, even across a reload. */
  state: GatewayState;
  client: Client | undefined;
  /** The body as the client sent it, parsed as JSON (without the gateway-only fields it consumed). */
  body: unknown;
  /** The body in the route's unified form. */
  parsed: Parsed;
  /** The route of the request's `model`. */
  route: ModelRoute;
  /** The routes to try in order: the request's model's, then its fallback list's (`routing` on). */
  routes: ModelRoute[];
  /** What the request asked of routing (`routing` on), else nothing. */
  ask: RoutingAsk;
}

/** How a route admits: whether it consumes a routing ask (`models`, `provider`, their headers). */
export interface AdmitOptions {
  routing?: boolean;
}

/**
 * The preamble of every model request, in this order: the virtual key (401), the client's rate
 * limit (429), its budget (429), the body (413 over `server.maxBodyBytes`; 400 when it is not JSON
 * or nests deeper than `server.maxJsonDepth`), the routing ask taken out of it (400, see
 * `takeRoutingAsk`), the protocol's parse (400), and the model and each fallback model (404, or 403
 * when the client may not use it; routes made on demand are made only after that check). A refusal is thrown, for the route's wrapper
 * (`serveExchange`) to answer in the client's protocol; what is learnt goes on the tracker as it
 * is learnt, so a refused request is observed with everything known by then.
 */
export async function admit<Parsed extends ParsedModelRequest>(
  gateway: GatewayContext,
  exchange: Exchange,
  tracker: RequestTracker,
  parse: (body: unknown) => ParseResult<Parsed>,
  options: AdmitOptions = {},
): Promise<Admission<Parsed>> {
  const state = gateway.state();
  const client = authenticate(state, exchange.headers);
  tracker.client = client?.name;
  await checkClientLimits(gateway, client);
  const { maxBodyBytes, maxJsonDepth } = state.config.server;
  const read = await exchange.readJson({ maxBytes: maxBodyBytes, maxDepth: maxJsonDepth });
  const { body, ask } = options.routing
    ? takeRoutingAsk(
        read,
        exchange.headers,
        state.config.providers.map((entry) => entry.name),
      )
    : { body: read, ask: { fallbacks: [], provider: undefined } };
  const parsed = parse(body);
  if (!parsed.ok) throw parsed.error;
  const { request, stream } = parsed.value;
  tracker.model = echoed(request.model);
  tracker.stream = stream === true;
  const route = resolveRoute(state, client, request.model);
  tracker.route = route;
  const routes = [route];
  for (const name of ask.fallbacks) {
    const fallback = resolveRoute(state, client, name, "models");
    if (!routes.includes(fallback)) routes.push(fallback);
  }
  return { state, client, body, parsed: parsed.value, route, routes, ask };
}
