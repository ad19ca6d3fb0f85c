import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import type { Exchange } from "../http/exchange.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import { openAIChatProtocol } from "../protocols/openai/chat-protocol.js";
import { parseEmbeddingsRequest } from "../protocols/openai/parse-embeddings-request.js";
import { renderEmbeddingsResponse } from "../protocols/openai/render-embeddings-response.js";
import { authenticate, resolveRoute } from "./authorize-call.js";
import { checkRateLimit } from "./check-rate-limit.js";
import { sendError } from "./error-response.js";
import { RequestTracker } from "./request-tracker.js";

/** `POST /v1/embeddings`, failing over across the model's targets that can embed. */
export function embeddingsRoute(gateway: GatewayContext) {
  return async (exchange: Exchange): Promise<void> => {
    const state = gateway.state();
    const { requestId } = exchange;
    let model: string | undefined;
    const tracker = new RequestTracker(gateway.observer, {
      requestId,
      endpoint: "embeddings",
      protocol: openAIChatProtocol.name,
    });
    try {
      const client = authenticate(state, exchange.headers);
      tracker.client = client?.name;
      const limited = await checkRateLimit(gateway, client);
      if (limited) {
        const rendered = openAIChatProtocol.renderError(limited);
        const status = sendError(exchange, gateway, rendered, undefined, { client: client?.name });
        tracker.end(status, "error");
        return;
      }
      if (client) await gateway.budget?.check(client.name);
      const body = await exchange.readJson(state.config.server.maxBodyBytes);
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
          signal: exchange.signal,
        }),
      );
      tracker.report = report;
      if (result.usage) tracker.usage = { inputTokens: result.usage.inputTokens };
      gateway.logger.info(
        { requestId, model, targetId: report.targetId, attempts: attemptCount(report) },
        "embeddings served",
      );
      const served = report.targetId ? route.targets.get(report.targetId)?.model : undefined;
      tracker.end(200, "success");
      exchange.sendJson(
        200,
        renderEmbeddingsResponse(result, { encodingFormat, model: served ?? result.model }),
        routingHeaders(route, report),
      );
    } catch (error) {
      const rendered = openAIChatProtocol.renderError(describeError(error));
      const status = sendError(exchange, gateway, rendered, error, { model });
      tracker.end(status, "error", error);
    }
  };
}
