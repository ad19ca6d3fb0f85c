import type { Context } from "hono";
import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import { readJsonBody } from "../http/read-json-body.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import { openAIChatProtocol } from "../protocols/openai/chat-protocol.js";
import { parseEmbeddingsRequest } from "../protocols/openai/parse-embeddings-request.js";
import { renderEmbeddingsResponse } from "../protocols/openai/render-embeddings-response.js";
import { authenticate, resolveRoute } from "./authorize-call.js";
import { checkRateLimit } from "./check-rate-limit.js";
import { errorResponse } from "./error-response.js";
import { RequestTracker } from "./request-tracker.js";

/** `POST /v1/embeddings`, failing over across the model's targets that can embed. */
export function embeddingsRoute(gateway: GatewayContext) {
  return async (c: Context): Promise<Response> => {
    const state = gateway.state();
    const requestId = c.get("requestId") as string;
    let model: string | undefined;
    const tracker = new RequestTracker(gateway.observer, {
      requestId,
      endpoint: "embeddings",
      protocol: openAIChatProtocol.name,
    });
    try {
      const client = authenticate(state, c.req.raw.headers);
      tracker.client = client?.name;
      const limited = await checkRateLimit(gateway, client);
      if (limited) {
        const response = errorResponse(
          c,
          gateway,
          openAIChatProtocol.renderError(limited),
          undefined,
          { requestId, client: client?.name },
        );
        tracker.end(response.status, "error");
        return response;
      }
      if (client) await gateway.budget?.check(client.name);
      const body = await readJsonBody(c.req.raw, state.config.server.maxBodyBytes);
      const parsed = parseEmbeddingsRequest(body);
      if (!parsed.ok) throw parsed.error;
      const { request, encodingFormat } = parsed.value;
      model = request.model;
      tracker.model = model;
      const route = resolveRoute(state, client, request.model);
      tracker.route = route;
      const { result, report } = await tracker.run(() =>
        route.embeddings.generateWithReport(request, {
          ...route.embeddingsOptions,
          signal: c.req.raw.signal,
        }),
      );
      tracker.report = report;
      if (result.usage) tracker.usage = { inputTokens: result.usage.inputTokens };
      gateway.logger.info(
        { requestId, model, provider: report.provider, attempts: attemptCount(report) },
        "embeddings served",
      );
      const served = report.provider ? route.targets.get(report.provider)?.model : undefined;
      tracker.end(200, "success");
      return c.json(
        renderEmbeddingsResponse(result, { encodingFormat, model: served ?? result.model }),
        200,
        routingHeaders(route, report),
      );
    } catch (error) {
      const rendered = openAIChatProtocol.renderError(describeError(error));
      const response = errorResponse(c, gateway, rendered, error, { requestId, model });
      tracker.end(response.status, "error", error);
      return response;
    }
  };
}
