import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
} from "../../../testing/mock-kit/mock-vendor.js";
import { openaiMockHeaders } from "./openai-mock-headers.js";

const DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "text-embedding-3-small"];
const CREATED = 1_715_367_049;

/** `GET /v1/models` (a list) and `GET /v1/models/{model}` (one model). */
export const openaiModelsHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply,
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const one = context.params.model;
  const body =
    one === undefined
      ? { object: "list", data: (reply.models ?? DEFAULT_MODELS).map(model) }
      : model(one);
  return {
    status: 200,
    headers: openaiMockHeaders("application/json"),
    body: JSON.stringify(body),
  };
}

function model(id: string): Record<string, unknown> {
  return { id, object: "model", created: CREATED, owned_by: "system" };
}
