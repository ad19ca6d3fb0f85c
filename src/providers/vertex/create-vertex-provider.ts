import type { ProviderContext } from "../../engine/provider.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { LlmProvider, ModelInfo } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import {
  ANTHROPIC_CONTENT,
  mapError as mapAnthropicError,
  mapRequest as mapAnthropicRequest,
  mapResponse as mapAnthropicResponse,
  mapStream as mapAnthropicStream,
} from "../anthropic/index.js";
import { ANTHROPIC_REASONING_ORIGIN } from "../anthropic/map-reasoning.js";
import {
  GEMINI_CONTENT,
  mapGeminiError,
  mapGeminiRequest,
  mapGeminiResponse,
  mapGeminiStream,
} from "../gemini/index.js";
import { GEMINI_REASONING_ORIGIN } from "../gemini/map-reasoning.js";
import type { AdapterOptions } from "../shared/adapter-options.js";
import { cancellationOf } from "../shared/cancellation-of.js";
import { guardInternalErrors } from "../shared/guard-internal-errors.js";
import { createHttpClient } from "../shared/http-client.js";
import type { HttpResponse } from "../shared/http-response.js";
import { isRecord, readArray, readRecord, readString } from "../shared/json-fields.js";
import { applyTargetAdditions } from "../shared/target-additions.js";
import {
  applicationDefaultTokenSource,
  type GoogleTokenSource,
  googleAuthHeaders,
  serviceAccountTokenSource,
} from "./google-token-source.js";
import { mapPredictEmbeddings } from "./map-predict-embeddings.js";
import { createRawPredictWire, VERTEX_ANTHROPIC_VERSION } from "./raw-predict-wire.js";

/** Who publishes a model on Vertex AI, which decides its wire format. */
export type VertexPublisher = "google" | "anthropic";

export interface VertexProviderOptions extends Omit<AdapterOptions, "apiKey"> {
  project: string;
  /** A region such as `europe-west1`, or `global`. */
  location: string;
  /** A service-account key file; default: application default credentials. */
  credentialsFile?: string;
  /** Where access tokens come from instead (tests, or a token of the caller's own). */
  tokenSource?: GoogleTokenSource;
  /** Every model's publisher, instead of taking it from the model name. */
  publisher?: VertexPublisher;
  /** `max_tokens` for Claude requests that set none; default 4096. */
  defaultMaxTokens?: number;
}

const RESOURCE = /^publishers\/([^/]+)\/models\/(.+)$/;

/**
 * The publisher and model id of a model name: `publishers/{publisher}/models/{model}` names both;
 * otherwise `claude-*` is Anthropic's and anything else Google's (unless `fixed` says).
 */
export function vertexModel(
  model: string,
  fixed: VertexPublisher | undefined,
): { publisher: string; model: string } {
  const resource = RESOURCE.exec(model);
  if (resource !== null) return { publisher: resource[1] ?? "", model: resource[2] ?? "" };
  return { publisher: fixed ?? (model.startsWith("claude-") ? "anthropic" : "google"), model };
}

/**
 * An LlmProvider for Vertex AI: Gemini models through `generateContent` /
 * `streamGenerateContent?alt=sse` and embeddings through `predict`, Claude models through
 * `rawPredict` / `streamRawPredict` with the Messages body (`anthropic_version: vertex-2023-10-16`,
 * no `model`): rendered from the unified request, or a Messages client's own body passed through
 * (`createRawPredictWire`); the Gemini and Anthropic adapters' own mapping is reused. OAuth2 access tokens from a
 * service-account key (its `token_uri` honoured) or application default credentials, cached and
 * refreshed before they expire.
 */
export function createVertexProvider(options: VertexProviderOptions): LlmProvider {
  const provider = options.name ?? "vertex";
  const now = options.now ?? Date.now;
  const { project, location } = options;
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  const source =
    options.tokenSource ??
    (options.credentialsFile === undefined
      ? applicationDefaultTokenSource()
      : serviceAccountTokenSource(options.credentialsFile, now));
  const authHeaders = googleAuthHeaders(source, provider, now);
  const host =
    location === "global"
      ? "https://aiplatform.googleapis.com"
      : `https://${location}-aiplatform.googleapis.com`;
  const http = createHttpClient({
    providerName: provider,
    baseUrl: options.baseUrl ?? host,
    headers: options.headers ?? {},
    connectTimeoutMs: options.connectTimeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxConnections: options.maxConnections,
    maxResponseBytes: options.maxResponseBytes,
  });
  const locationPath = `/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}`;

  /** Sends a request; a non-2xx answer is read and classified by the publisher's error format. */
  async function send(
    method: "GET" | "POST",
    path: string,
    context: ProviderContext,
    publisher: string,
    body?: unknown,
    accept = "application/json",
    extraHeaders: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const added = applyTargetAdditions(context, body, { ...extraHeaders, accept });
    const headers = { ...added.headers, ...(await authHeaders()) };
    const response = await http.request({
      method,
      path,
      body: added.body,
      headers,
      cancellation: cancellationOf(context),
    });
    if (response.status >= 200 && response.status < 300) return response;
    const text = await response.text();
    // Vertex's front end (auth, quota, routing) answers in Google's error format for every
    // publisher; errors from Claude itself come in Anthropic's.
    if (publisher === "anthropic" && !isGoogleError(text)) {
      throw mapAnthropicError(response.status, response.headers, text, now(), provider);
    }
    throw mapGeminiError({
      provider,
      status: response.status,
      headers: response.headers,
      body: text,
      nowMs: now(),
    });
  }

  const modelRoot = (publisher: string, model: string) =>
    `${locationPath}/publishers/${encodeURIComponent(publisher)}/models/${encodeURIComponent(model)}`;

  function claudeBody(request: ChatRequest, stream: boolean): Record<string, unknown> {
    const { model: _model, ...body } = mapAnthropicRequest(request, {
      defaultMaxTokens,
      stream,
      provider,
    });
    return { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...body };
  }

  async function generate(request: ChatRequest, context: ProviderContext): Promise<ChatResult> {
    const { publisher, model } = vertexModel(request.model, options.publisher);
    const root = modelRoot(publisher, model);
    if (publisher === "anthropic") {
      const response = await send(
        "POST",
        `${root}:rawPredict`,
        context,
        publisher,
        claudeBody(request, false),
      );
      return {
        ...mapAnthropicResponse(await response.json(), { provider }),
        adapterType: "vertex",
      };
    }
    const body = mapGeminiRequest({ ...request, model }, { provider });
    const response = await send("POST", `${root}:generateContent`, context, publisher, body);
    return {
      ...mapGeminiResponse(await response.json(), { provider, model }),
      adapterType: "vertex",
    };
  }

  async function* stream(
    request: ChatRequest,
    context: ProviderContext,
  ): AsyncGenerator<ChatStreamPart> {
    const { publisher, model } = vertexModel(request.model, options.publisher);
    const root = modelRoot(publisher, model);
    if (publisher === "anthropic") {
      const response = await send(
        "POST",
        `${root}:streamRawPredict`,
        context,
        publisher,
        claudeBody(request, true),
        "text/event-stream",
      );
      yield* mapAnthropicStream(response.events(), { provider, now });
      return;
    }
    const body = mapGeminiRequest({ ...request, model }, { provider });
    const response = await send(
      "POST",
      `${root}:streamGenerateContent?alt=sse`,
      context,
      publisher,
      body,
      "text/event-stream",
    );
    yield* mapGeminiStream(response.events(), { provider, model });
  }

  async function embed(
    request: EmbeddingsRequest,
    context: ProviderContext,
  ): Promise<EmbeddingsResult> {
    const { publisher, model } = vertexModel(request.model, "google");
    const body = { instances: request.input.map((content) => ({ content })) };
    const response = await send(
      "POST",
      `${modelRoot(publisher, model)}:predict`,
      context,
      publisher,
      body,
    );
    return mapPredictEmbeddings(await response.json(), {
      provider,
      model,
      inputCount: request.input.length,
    });
  }

  async function listModels(context: ProviderContext): Promise<ModelInfo[]> {
    const response = await send(
      "GET",
      "/v1beta1/publishers/google/models?pageSize=100",
      context,
      "google",
    );
    const body = await response.json();
    const models = isRecord(body) ? (readArray(body, "publisherModels") ?? []) : [];
    return models.filter(isRecord).flatMap((model) => {
      const name = readString(model, "name");
      const found = name === undefined ? null : RESOURCE.exec(name);
      return found === null ? [] : [{ id: found[2] ?? "", ownedBy: found[1] }];
    });
  }

  const wire = createRawPredictWire({
    provider,
    now,
    unsupportedFields: options.unsupportedFields ?? [],
    staticHeaders: Object.keys(options.headers ?? {}),
    path: (model, stream) => {
      const root = modelRoot("anthropic", vertexModel(model, options.publisher).model);
      return `${root}:${stream ? "streamRawPredict" : "rawPredict"}`;
    },
    send: (path, body, headers, context) =>
      send("POST", path, context, "anthropic", body, headers.accept, headers),
    servesModel: (model) => vertexModel(model, options.publisher).publisher === "anthropic",
  });

  const adapter: LlmProvider = {
    type: "vertex",
    wire,
    acceptedContent: (model) =>
      vertexModel(model, options.publisher).publisher === "anthropic"
        ? ANTHROPIC_CONTENT
        : GEMINI_CONTENT,
    reasoningOrigin: (name) =>
      vertexModel(name, options.publisher).publisher === "anthropic"
        ? ANTHROPIC_REASONING_ORIGIN
        : GEMINI_REASONING_ORIGIN,
    generate,
    stream,
    embed,
    listModels,
    async healthCheck(context) {
      const response = await send(
        "GET",
        "/v1beta1/publishers/google/models?pageSize=1",
        context,
        "google",
      );
      await response.text();
      return { status: response.status };
    },
    close: () => http.close(),
  };
  return guardInternalErrors(adapter, provider);
}

/** Google's error envelope: `{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", ...}}`. */
function isGoogleError(text: string): boolean {
  try {
    const body: unknown = JSON.parse(text);
    const error = isRecord(body) ? readRecord(body, "error") : undefined;
    return error !== undefined && typeof error.code === "number";
  } catch {
    return false;
  }
}
