import type { GatewayContext } from "../gateway-context.js";
import { attemptCount, routingHeaders } from "../http/response-headers.js";
import { parseEmbeddingsRequest } from "../protocols/openai/parse-embeddings-request.js";
import { renderEmbeddingsResponse } from "../protocols/openai/render-embeddings-response.js";
import { admit } from "./admit.js";
import type { ExchangeRoute } from "./serve-exchange.js";

/** `POST /v1/embeddings`, failing over across the model's targets that can embed. */
export function embeddingsRoute(gateway: GatewayContext): ExchangeRoute["handle"] {
  return async (exchange, tracker) => {
    const { parsed, route } = await admit(gateway, exchange, tracker, parseEmbeddingsRequest);
    const { request, encodingFormat } = parsed;
    const { result, report } = await tracker.run(() =>
      route.embeddings.generateWithReport(request, {
        ...route.embeddingsOptions,
        signal: exchange.signal,
      }),
    );
    tracker.report = report;
    if (result.usage) tracker.usage = { inputTokens: result.usage.inputTokens };
    gateway.logger.info(
      {
        requestId: exchange.requestId,
        model: request.model,
        targetId: report.targetId,
        attempts: attemptCount(report),
      },
      "embeddings served",
    );
    const served = report.targetId ? route.targets.get(report.targetId)?.model : undefined;
    tracker.end(200, "success");
    exchange.sendJson(
      200,
      renderEmbeddingsResponse(result, { encodingFormat, model: served ?? result.model }),
      routingHeaders(route, report),
    );
  };
}
