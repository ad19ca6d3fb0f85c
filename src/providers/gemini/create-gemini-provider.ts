import type { ProviderContext } from "../../engine/provider.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { LlmProvider, ModelInfo } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { AdapterOptions } from "../shared/adapter-options.js";
import { cancellationOf } from "../shared/cancellation-of.js";
import { guardInternalErrors } from "../shared/guard-internal-errors.js";
import { createHttpClient, type HttpRequestOptions } from "../shared/http-client.js";
import type { HttpResponse } from "../shared/http-response.js";
import { applyTargetAdditions } from "../shared/target-additions.js";
import type { GeminiSchemaFormat } from "./convert-json-schema.js";
import { GEMINI_CONTENT } from "./map-content.js";
import { mapGeminiEmbeddingsRequest, mapGeminiEmbeddingsResponse } from "./map-embeddings.js";
import { mapGeminiError } from "./map-error.js";
import { mapGeminiModels } from "./map-models.js";
import { GEMINI_REASONING_ORIGIN } from "./map-reasoning.js";
import { mapGeminiRequest, modelPath } from "./map-request.js";
import { mapGeminiResponse } from "./map-response.js";
import { mapGeminiStream } from "./map-stream.js";

export const GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

export interface GeminiProviderOptions extends AdapterOptions {
  /**
   * How tool parameters and `json_schema` response formats are sent: `json-schema` (default) as
   * `parametersJsonSchema` / `responseJsonSchema`, for Gemini 2.5 and later; `openapi` converted to
   * the older `parameters` / `responseSchema` subset, for models that lack JSON Schema support.
   */
  schemaFormat?: GeminiSchemaFormat;
}

/** At most this many `GET /models` pages are followed by `listModels`. */
const MAX_MODEL_PAGES = 20;

/**
 * An LlmProvider for the Gemini API (`generateContent`, `streamGenerateContent?alt=sse`,
 * `batchEmbedContents`, `GET /models`), authenticated with the `x-goog-api-key` header.
 */
export function createGeminiProvider(options: GeminiProviderOptions): LlmProvider {
  const provider = options.name ?? "gemini";
  const now = options.now ?? Date.now;
  const schemaFormat = options.schemaFormat;
  const client = createHttpClient({
    providerName: provider,
    baseUrl: options.baseUrl ?? GEMINI_BASE_URL,
    headers: { ...options.headers, "x-goog-api-key": options.apiKey },
    connectTimeoutMs: options.connectTimeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxConnections: options.maxConnections,
    maxResponseBytes: options.maxResponseBytes,
  });

  /** Sends a request; a non-2xx answer is read and thrown as a classified ProviderError. */
  async function send(
    request: HttpRequestOptions,
    context: ProviderContext,
  ): Promise<HttpResponse> {
    const added = applyTargetAdditions(context, request.body, request.headers);
    const response = await client.request({ ...request, body: added.body, headers: added.headers });
    if (response.status >= 200 && response.status < 300) return response;
    const body = await response.text();
    throw mapGeminiError({
      provider,
      status: response.status,
      headers: response.headers,
      body,
      nowMs: now(),
    });
  }

  async function generate(request: ChatRequest, context: ProviderContext): Promise<ChatResult> {
    const response = await send(
      {
        method: "POST",
        path: `${modelPath(request.model)}:generateContent`,
        body: mapGeminiRequest(request, { provider, schemaFormat }),
        cancellation: cancellationOf(context),
      },
      context,
    );
    return mapGeminiResponse(await response.json(), { provider, model: request.model });
  }

  async function* stream(
    request: ChatRequest,
    context: ProviderContext,
  ): AsyncGenerator<ChatStreamPart> {
    const response = await send(
      {
        method: "POST",
        path: `${modelPath(request.model)}:streamGenerateContent?alt=sse`,
        body: mapGeminiRequest(request, { provider, schemaFormat }),
        headers: { accept: "text/event-stream" },
        cancellation: cancellationOf(context),
      },
      context,
    );
    yield* mapGeminiStream(response.events(), { provider, model: request.model });
  }

  async function embed(
    request: EmbeddingsRequest,
    context: ProviderContext,
  ): Promise<EmbeddingsResult> {
    const response = await send(
      {
        method: "POST",
        path: `${modelPath(request.model)}:batchEmbedContents`,
        body: mapGeminiEmbeddingsRequest(request),
        cancellation: cancellationOf(context),
      },
      context,
    );
    return mapGeminiEmbeddingsResponse(await response.json(), {
      provider,
      model: request.model,
      inputCount: request.input.length,
    });
  }

  async function listModels(context: ProviderContext): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
      const query = pageToken === undefined ? "" : `&pageToken=${encodeURIComponent(pageToken)}`;
      const response = await send(
        {
          method: "GET",
          path: `/models?pageSize=1000${query}`,
          cancellation: cancellationOf(context),
        },
        context,
      );
      const result = mapGeminiModels(await response.json());
      models.push(...result.models);
      pageToken = result.nextPageToken;
      if (pageToken === undefined) break;
    }
    return models;
  }

  async function healthCheck(context: ProviderContext): Promise<unknown> {
    const response = await send(
      {
        method: "GET",
        path: "/models?pageSize=1",
        cancellation: cancellationOf(context),
      },
      context,
    );
    await response.text();
    return { status: response.status };
  }

  const adapter: LlmProvider = {
    type: "gemini",
    reasoningOrigin: () => GEMINI_REASONING_ORIGIN,
    acceptedContent: () => GEMINI_CONTENT,
    generate,
    stream,
    embed,
    listModels,
    healthCheck,
    close: () => client.close(),
  };
  return guardInternalErrors(adapter, provider);
}
