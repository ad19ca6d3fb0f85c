import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { describeError } from "./error-response.js";
import type { GatewayContext } from "./gateway-context.js";
import { anthropicChatProtocol } from "./protocols/anthropic/chat-protocol.js";
import { GatewayRequestError } from "./protocols/gateway-request-error.js";
import { openAIChatProtocol } from "./protocols/openai/chat-protocol.js";
import { chatRoute } from "./routes/chat-route.js";
import { embeddingsRoute } from "./routes/embeddings-route.js";
import { errorResponse } from "./routes/error-response.js";
import { modelsRoute } from "./routes/models-route.js";
import { adminStatusRoute, healthRoute, readyRoute } from "./routes/status-routes.js";

type Env = { Variables: { requestId: string } };

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The gateway's HTTP surface: OpenAI- and Anthropic-compatible endpoints, health, readiness and
 * admin status. Every response carries `x-request-id` and `request-id` (an inbound `x-request-id`
 * of sane shape is kept).
 */
export function createGatewayApp(gateway: GatewayContext): Hono<Env> {
  const app = new Hono<Env>();
  app.use(async (c, next) => {
    const inbound = c.req.header("x-request-id");
    const requestId = inbound && REQUEST_ID.test(inbound) ? inbound : randomUUID();
    c.set("requestId", requestId);
    await next();
    c.res.headers.set("x-request-id", requestId);
    c.res.headers.set("request-id", requestId);
  });
  app.get("/healthz", healthRoute());
  app.get("/readyz", readyRoute(gateway));
  app.get("/admin/status", adminStatusRoute(gateway));
  app.get("/v1/models", modelsRoute(gateway));
  app.post("/v1/chat/completions", chatRoute(gateway, openAIChatProtocol));
  app.post("/v1/messages", chatRoute(gateway, anthropicChatProtocol));
  app.post("/v1/embeddings", embeddingsRoute(gateway));
  app.notFound((c) => {
    const protocol = c.req.path.startsWith("/v1/messages")
      ? anthropicChatProtocol
      : openAIChatProtocol;
    const error = new GatewayRequestError(`no route for ${c.req.method} ${c.req.path}`, {
      status: 404,
      code: "unknown_route",
    });
    return errorResponse(c, gateway, protocol.renderError(describeError(error)), error, {
      requestId: c.get("requestId"),
    });
  });
  app.onError((error, c) =>
    errorResponse(c, gateway, openAIChatProtocol.renderError(describeError(error)), error, {
      requestId: c.get("requestId"),
    }),
  );
  return app;
}
