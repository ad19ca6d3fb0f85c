import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { describeError } from "./error-response.js";
import type { GatewayContext } from "./gateway-context.js";
import { type Exchange, requestIdFrom, requestIdHeaders } from "./http/exchange.js";
import { NodeExchange } from "./http/node-exchange.js";
import { WebExchange } from "./http/web-exchange.js";
import { anthropicChatProtocol } from "./protocols/anthropic/chat-protocol.js";
import { GatewayRequestError } from "./protocols/gateway-request-error.js";
import { openAIChatProtocol } from "./protocols/openai/chat-protocol.js";
import { chatRoute } from "./routes/chat-route.js";
import { countTokensRoute } from "./routes/count-tokens-route.js";
import { embeddingsRoute } from "./routes/embeddings-route.js";
import { errorResponse, sendError } from "./routes/error-response.js";
import { modelsRoute } from "./routes/models-route.js";
import { adminStatusRoute, healthRoute, readyRoute } from "./routes/status-routes.js";

type Env = { Variables: { requestId: string } };

/** A route written against `Exchange`: served by the Hono app, and directly on the Node server. */
export interface ExchangeRoute {
  method: "POST";
  path: string;
  handle(exchange: Exchange): Promise<void>;
}

/** The hot routes: every chat and embeddings call. */
export function exchangeRoutes(gateway: GatewayContext): ExchangeRoute[] {
  return [
    {
      method: "POST",
      path: "/v1/chat/completions",
      handle: chatRoute(gateway, openAIChatProtocol),
    },
    { method: "POST", path: "/v1/messages", handle: chatRoute(gateway, anthropicChatProtocol) },
    {
      method: "POST",
      path: "/v1/messages/count_tokens",
      handle: countTokensRoute(gateway, anthropicChatProtocol),
    },
    { method: "POST", path: "/v1/embeddings", handle: embeddingsRoute(gateway) },
  ];
}

/**
 * The gateway's HTTP surface: OpenAI- and Anthropic-compatible endpoints, health, readiness and
 * admin status. Every response carries `x-request-id` and `request-id` (an inbound `x-request-id`
 * of sane shape is kept).
 */
export function createGatewayApp(gateway: GatewayContext, routes: readonly ExchangeRoute[]) {
  const app = new Hono<Env>();
  app.use(async (c, next) => {
    const requestId = requestIdFrom(c.req.header("x-request-id"));
    c.set("requestId", requestId);
    await next();
    for (const [name, value] of Object.entries(requestIdHeaders(requestId))) {
      c.res.headers.set(name, value);
    }
  });
  app.get("/healthz", healthRoute());
  app.get("/readyz", readyRoute(gateway));
  app.get("/admin/status", adminStatusRoute(gateway));
  app.get("/v1/models", modelsRoute(gateway));
  for (const route of routes) {
    app.on(route.method, route.path, async (c) => {
      const exchange = new WebExchange(c);
      await route.handle(exchange);
      return exchange.response;
    });
  }
  app.notFound((c) => {
    const protocol = c.req.path.startsWith("/v1/messages")
      ? anthropicChatProtocol
      : openAIChatProtocol;
    const error = new GatewayRequestError(`no route for ${c.req.method} ${c.req.path}`, {
      status: 404,
      code: "unknown_route",
    });
    return errorResponse(c, gateway, protocol.renderError(describeError(error)), error, {});
  });
  app.onError((error, c) =>
    errorResponse(c, gateway, openAIChatProtocol.renderError(describeError(error)), error, {}),
  );
  return app;
}

export type GatewayApp = ReturnType<typeof createGatewayApp>;

/**
 * The Node server's request listener: the hot routes run on a `NodeExchange` straight off the
 * socket; everything else goes through the Hono app.
 */
export function createGatewayListener(
  gateway: GatewayContext,
  app: GatewayApp,
  routes: readonly ExchangeRoute[],
  hostname: string,
): (request: IncomingMessage, response: ServerResponse) => void {
  const viaApp = getRequestListener(app.fetch, { hostname });
  const direct = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  return (request, response) => {
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    const route = direct.get(`${request.method} ${query === -1 ? url : url.slice(0, query)}`);
    if (!route) {
      void viaApp(request, response);
      return;
    }
    const exchange = new NodeExchange(request, response);
    route.handle(exchange).catch((error: unknown) => {
      sendError(exchange, gateway, openAIChatProtocol.renderError(describeError(error)), error, {});
    });
  };
}
