import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { describeError } from "./error-response.js";
import type { GatewayContext } from "./gateway-context.js";
import { requestIdFrom, requestIdHeaders } from "./http/exchange.js";
import { NodeExchange } from "./http/node-exchange.js";
import { WebExchange } from "./http/web-exchange.js";
import { anthropicChatProtocol } from "./protocols/anthropic/chat-protocol.js";
import { GatewayRequestError } from "./protocols/gateway-request-error.js";
import { openAIChatProtocol } from "./protocols/openai/chat-protocol.js";
import { responsesProtocol } from "./protocols/responses/responses-protocol.js";
import { allowedMethods, methodNotAllowedError } from "./routes/allowed-methods.js";
import { chatRoute } from "./routes/chat-route.js";
import { countTokensRoute } from "./routes/count-tokens-route.js";
import { embeddingsRoute } from "./routes/embeddings-route.js";
import { errorResponse } from "./routes/error-response.js";
import { modelsRoute } from "./routes/models-route.js";
import { responsesRoute } from "./routes/responses-route.js";
import { type ExchangeRoute, type RouteProtocol, serveExchange } from "./routes/serve-exchange.js";
import { adminStatusRoute, healthRoute, readyRoute } from "./routes/status-routes.js";
import { storedResponsesRoutes } from "./routes/stored-responses-routes.js";

export type { ExchangeRoute } from "./routes/serve-exchange.js";

type Env = { Variables: { requestId: string } };

/** The model routes: every chat and embeddings call, on the Hono app and straight off Node's socket. */
export function exchangeRoutes(gateway: GatewayContext): ExchangeRoute[] {
  return [
    {
      method: "POST",
      path: "/v1/chat/completions",
      endpoint: "chat",
      protocol: openAIChatProtocol,
      handle: chatRoute(gateway, openAIChatProtocol),
    },
    {
      method: "POST",
      path: "/v1/messages",
      endpoint: "chat",
      protocol: anthropicChatProtocol,
      handle: chatRoute(gateway, anthropicChatProtocol),
    },
    {
      method: "POST",
      path: "/v1/embeddings",
      endpoint: "embeddings",
      protocol: openAIChatProtocol,
      handle: embeddingsRoute(gateway),
    },
    {
      method: "POST",
      path: "/v1/responses",
      endpoint: "chat",
      protocol: responsesProtocol,
      handle: responsesRoute(gateway, () => gateway.responseStore()),
    },
  ];
}

/**
 * The gateway's HTTP surface: OpenAI- and Anthropic-compatible endpoints, health, readiness and
 * admin status. Every response carries `x-request-id` and `request-id` (an inbound `x-request-id`
 * of sane shape is kept). Errors are answered in the protocol of the path (`/v1/messages...` in
 * Anthropic's, the rest in OpenAI's); a known path asked with another method is a 405 with `allow`.
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
  const stored = storedResponsesRoutes(gateway, () => gateway.responseStore());
  app.get("/v1/responses/:id", stored.retrieve);
  app.delete("/v1/responses/:id", stored.delete);
  app.get("/v1/responses/:id/input_items", stored.inputItems);
  const countTokens = countTokensRoute(gateway, anthropicChatProtocol);
  app.post("/v1/messages/count_tokens", async (c) => {
    const exchange = new WebExchange(c);
    await countTokens(exchange);
    return exchange.response;
  });
  for (const route of routes) {
    app.on(route.method, route.path, async (c) => {
      const exchange = new WebExchange(c);
      await serveExchange(gateway, route, exchange);
      return exchange.response;
    });
  }
  const protocolOf = (path: string): RouteProtocol =>
    routes.find((route) => path === route.path || path.startsWith(`${route.path}/`))?.protocol ??
    openAIChatProtocol;
  app.notFound((c) => {
    // A route that declined its own method (`c.notFound()`) is a 404, not a 405.
    const allowed = allowedMethods(app.routes, c.req.path);
    const wrongMethod = allowed.length > 0 && !allowed.includes(c.req.method);
    const error = wrongMethod
      ? methodNotAllowedError(c.req.method, c.req.path, allowed)
      : new GatewayRequestError(`no route for ${c.req.method} ${c.req.path}`, {
          status: 404,
          code: "unknown_route",
        });
    const rendered = protocolOf(c.req.path).renderError(describeError(error));
    if (wrongMethod) rendered.headers.allow = allowed.join(", ");
    return errorResponse(c, gateway, rendered, error, {});
  });
  app.onError((error, c) =>
    errorResponse(c, gateway, protocolOf(c.req.path).renderError(describeError(error)), error, {}),
  );
  return app;
}

export type GatewayApp = ReturnType<typeof createGatewayApp>;

/**
 * The Node server's request listener: the model routes run on a `NodeExchange` straight off the
 * socket, through the same wrapper as on the Hono app; everything else goes through the Hono app.
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
    void serveExchange(gateway, route, new NodeExchange(request, response));
  };
}
