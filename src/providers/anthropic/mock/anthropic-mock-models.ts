import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
} from "../../../testing/mock-kit/mock-vendor.js";
import { anthropicMockHeaders } from "./anthropic-mock-headers.js";

const DEFAULT_MODELS = ["claude-sonnet-4-6", "claude-opus-4-7", "claude-haiku-4-5"];

/** `GET /v1/models` (a page of models) and `GET /v1/models/{model}`. */
export const anthropicModelsHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply,
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const one = context.params.model;
  let body: unknown;
  if (one === undefined) {
    const ids = reply.models ?? DEFAULT_MODELS;
    body = {
      data: ids.map(model),
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids[ids.length - 1] ?? null,
    };
  } else {
    body = model(one);
  }
  return {
    status: 200,
    headers: anthropicMockHeaders("application/json"),
    body: JSON.stringify(body),
  };
}

function model(id: string): Record<string, unknown> {
  return { type: "model", id, display_name: id, created_at: "2025-09-29T00:00:00Z" };
}
