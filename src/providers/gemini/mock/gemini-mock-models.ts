import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
} from "../../../testing/mock-kit/mock-vendor.js";
import { geminiJsonHeaders } from "./gemini-mock-wire.js";

const DEFAULT_MODELS = [
  "gemini-2.5-flash",
  "gemini-2.5-pro",
  "gemini-2.0-flash",
  "text-embedding-004",
];

/** `GET /v1beta/models` (`{ models }`) and `GET /v1beta/models/{model}`. */
export const geminiModelsHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply,
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const one = context.params.model;
  const body =
    one === undefined ? { models: (reply.models ?? DEFAULT_MODELS).map(model) } : model(one);
  return { status: 200, headers: geminiJsonHeaders(), body: JSON.stringify(body) };
}

function model(id: string): Record<string, unknown> {
  const embedding = id.includes("embedding");
  return {
    name: `models/${id}`,
    version: "001",
    displayName: id,
    description: `${id} (mock provider server)`,
    inputTokenLimit: embedding ? 2048 : 1048576,
    outputTokenLimit: embedding ? 1 : 65536,
    supportedGenerationMethods: embedding
      ? ["embedContent"]
      : ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"],
  };
}
