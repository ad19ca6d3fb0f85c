import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
} from "../../../testing/mock-kit/mock-vendor.js";
import {
  asRecord,
  mockEmbedding,
  stringField,
} from "../../../testing/mock-kit/mock-wire-helpers.js";
import { openaiMockHeaders } from "./openai-mock-headers.js";

/**
 * `POST /v1/embeddings`: one vector per input, as float arrays or, with
 * `encoding_format: "base64"` (the SDK's default), as little-endian float32 bytes in base64.
 */
export const openaiEmbeddingsHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply,
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const body = asRecord(context.body);
  const inputs = inputTexts(body?.input);
  const requested = body?.dimensions;
  const dimensions =
    typeof requested === "number" && Number.isInteger(requested) && requested > 0
      ? requested
      : reply.dimensions;
  const base64 = body?.encoding_format === "base64";
  const data = inputs.map((text, index) => {
    const vector =
      reply.embeddings?.[index % reply.embeddings.length] ?? mockEmbedding(text, dimensions);
    return {
      object: "embedding",
      index,
      embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
    };
  });
  const promptTokens = reply.inputTokensGiven
    ? reply.usage.inputTokens
    : inputs.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
  const response = {
    object: "list",
    data,
    model: reply.model ?? stringField(body, "model") ?? "text-embedding-3-small",
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  return {
    status: 200,
    headers: openaiMockHeaders("application/json"),
    body: JSON.stringify(response),
  };
}

/** `input` as texts: a string, strings, token ids or arrays of token ids. */
function inputTexts(input: unknown): string[] {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input)) return [""];
  if (input.every((item) => typeof item === "number")) return [input.join(",")];
  return input.map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
}
