import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
} from "../../../testing/mock-kit/mock-vendor.js";
import { asRecord, mockEmbedding } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { geminiJsonHeaders } from "./gemini-mock-wire.js";

/**
 * `POST .../{model}:batchEmbedContents` (`{ embeddings: [{ values }] }`) and
 * `POST .../{model}:embedContent` (`{ embedding: { values } }`).
 */
export const geminiEmbeddingsHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply,
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const body = asRecord(context.body);
  const batch = context.path.endsWith(":batchEmbedContents");
  const requests = batch && Array.isArray(body?.requests) ? body.requests : [body];
  const embeddings = requests.map((request, index) => {
    const fields = asRecord(request);
    const requested = fields?.outputDimensionality;
    const dimensions =
      typeof requested === "number" && Number.isInteger(requested) && requested > 0
        ? requested
        : reply.dimensions;
    const values =
      reply.embeddings?.[index % reply.embeddings.length] ??
      mockEmbedding(contentText(fields?.content), dimensions);
    return { values };
  });
  const response = batch ? { embeddings } : { embedding: embeddings[0] ?? { values: [] } };
  return { status: 200, headers: geminiJsonHeaders(), body: JSON.stringify(response) };
}

function contentText(content: unknown): string {
  const parts = asRecord(content)?.parts;
  if (!Array.isArray(parts)) return "";
  return parts.map((part) => asRecord(part)?.text ?? "").join("");
}
