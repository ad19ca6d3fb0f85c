import type { ProviderContext } from "../../engine/provider.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ContentFeature } from "../../llm/content-features.js";
import type { EmbeddingsRequest, EmbeddingsResult } from "../../llm/embeddings.js";
import type { LlmProvider, ModelInfo } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { cancellationOf } from "../shared/cancellation-of.js";
import { guardInternalErrors } from "../shared/guard-internal-errors.js";
import { createHttpClient } from "../shared/http-client.js";
import type { HttpResponse } from "../shared/http-response.js";
import { applyTargetAdditions } from "../shared/target-additions.js";
import { createWirePassThrough } from "../shared/wire-pass-through.js";
import { OPENAI_CHAT_CONTENT, OPENAI_RESPONSES_CONTENT } from "./map-content.js";
import { mapError } from "./map-error.js";
import {
  CHAT_REASONING_ORIGIN,
  RESPONSES_REASONING_ORIGIN,
  type ReasoningSupport,
  takesReasoningEffort,
} from "./map-reasoning.js";
import { mapChatRequest, mapEmbeddingsRequest, type RequestMappingOptions } from "./map-request.js";
import {
  mapChatResponse,
  mapEmbeddingsResponse,
  mapModelsResponse,
  type ResponseSource,
} from "./map-response.js";
import { mapResponsesRequest } from "./map-responses-request.js";
import { mapResponsesResponse } from "./map-responses-response.js";
import { mapResponsesStream, ResponsesEventReader } from "./map-responses-stream.js";
import { ChatChunkReader, mapStream } from "./map-stream.js";

/** Everything that differs between servers speaking the OpenAI chat format. */
export interface OpenAIWireSettings {
  /** The adapter type reported as `type` and in `ChatResult.provider`. */
  type: string;
  /** The provider name in errors. */
  name: string;
  baseUrl: string;
  /** Auth and other headers sent on every request. */
  headers: Record<string, string>;
  maxTokensField: RequestMappingOptions["maxTokensField"];
  includeStreamUsage: boolean;
  /** `providerOptions` namespaces merged into request bodies, later ones winning. */
  providerOptionsKeys: string[];
  /** Chat requests go to `/chat/completions` (`chat`, the default) or `/responses`. */
  api?: "chat" | "responses";
  /**
   * Content beyond text and images the server reads (see `ContentFeature`); default: OpenAI's own
   * (`OPENAI_CHAT_CONTENT`, or `OPENAI_RESPONSES_CONTENT` with `api: "responses"`).
   */
  acceptedContent?: readonly ContentFeature[];
  /** Top-level request fields this server rejects (`n`, `logprobs`, ...): such requests go elsewhere. */
  unsupportedFields?: readonly string[];
  connectTimeoutMs?: number;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  maxConnections?: number;
  maxResponseBytes?: number;
  now: () => number;
  /** Request paths, when they differ from OpenAI's (`/chat/completions`, `/embeddings`, `/models`). */
  paths?: OpenAIWirePaths;
  /** Headers computed per request (a short-lived token), merged over `headers`. */
  authHeaders?: () => Promise<Record<string, string>>;
}

/** Where each endpoint lives, by the model asked for. */
export interface OpenAIWirePaths {
  chat(model: string): string;
  embeddings(model: string): string;
  models(): string;
}

const OPENAI_PATHS: OpenAIWirePaths = {
  chat: () => "/chat/completions",
  embeddings: () => "/embeddings",
  models: () => "/models",
};

/**
 * An LlmProvider for any server speaking OpenAI's wire format: `/chat/completions` (plain and SSE),
 * or `/responses` with `api: "responses"`, `/embeddings` and `/models`. The OpenAI and
 * OpenAI-compatible adapters are thin settings over it.
 */
export function createOpenAIWireProvider(settings: OpenAIWireSettings): LlmProvider {
  const http = createHttpClient({
    providerName: settings.name,
    baseUrl: settings.baseUrl,
    headers: settings.headers,
    connectTimeoutMs: settings.connectTimeoutMs,
    firstByteTimeoutMs: settings.firstByteTimeoutMs,
    idleTimeoutMs: settings.idleTimeoutMs,
    maxConnections: settings.maxConnections,
    maxResponseBytes: settings.maxResponseBytes,
  });
  const source: ResponseSource = { type: settings.type, provider: settings.name };
  // OpenAI refuses reasoning settings on models without reasoning; other servers are trusted unless
  // the provider declares `reasoning_effort` unsupported.
  const reasoningSupport: ReasoningSupport = (settings.unsupportedFields ?? []).includes(
    "reasoning_effort",
  )
    ? false
    : settings.type === "openai"
      ? takesReasoningEffort
      : true;
  const mapping = (stream: boolean): RequestMappingOptions => ({
    stream,
    maxTokensField: settings.maxTokensField,
    includeStreamUsage: settings.includeStreamUsage,
    providerOptionsKeys: settings.providerOptionsKeys,
    reasoningEffort: reasoningSupport,
  });

  const responsesApi = settings.api === "responses";
  const responsesMapping = {
    providerOptionsKeys: settings.providerOptionsKeys,
    reasoning: reasoningSupport,
  };
  const paths = settings.paths ?? OPENAI_PATHS;
  const authHeaders = settings.authHeaders;

  async function call(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    context: ProviderContext,
    accept = "application/json",
    extraHeaders: Record<string, string> = { accept },
  ): Promise<HttpResponse> {
    const added = applyTargetAdditions(context, body, extraHeaders);
    const headers =
      authHeaders === undefined ? added.headers : { ...added.headers, ...(await authHeaders()) };
    const response = await http.request({
      method,
      path,
      body: added.body,
      headers,
      cancellation: cancellationOf(context),
    });
    if (response.status >= 200 && response.status < 300) return response;
    throw mapError({
      status: response.status,
      headers: response.headers,
      bodyText: await response.text(),
      nowMs: settings.now(),
      provider: settings.name,
    });
  }

  const wireHeaders = new Set(Object.keys(settings.headers).map((name) => name.toLowerCase()));
  const wire = createWirePassThrough({
    protocol: "openai",
    unsupportedFields: settings.unsupportedFields ?? [],
    provider: settings.name,
    path: (model) => paths.chat(model),
    fixedHeaders: wireHeaders,
    send: (path, body, headers, context) => call("POST", path, body, context, "", headers),
    prepare(body, request) {
      if (!request.stream || !settings.includeStreamUsage) return;
      const options = body.stream_options;
      const given = typeof options === "object" && options !== null ? options : {};
      body.stream_options = { ...given, include_usage: true };
    },
    readResponse: (body) => mapChatResponse(body, source),
    streamReader: () => new ChatChunkReader({ provider: settings.name, relay: true }),
  });

  // A Responses upstream takes a Responses body as it came; Chat Completions bodies translate.
  const responsesWire = createWirePassThrough({
    protocol: "responses",
    unsupportedFields: [],
    provider: settings.name,
    path: () => "/responses",
    fixedHeaders: wireHeaders,
    send: (path, body, headers, context) => call("POST", path, body, context, "", headers),
    readResponse: (body) => mapResponsesResponse(body, source),
    streamReader: () => new ResponsesEventReader({ provider: settings.name }),
  });

  const adapter: LlmProvider = {
    type: settings.type,
    wire: responsesApi ? responsesWire : wire,
    reasoningOrigin: () => (responsesApi ? RESPONSES_REASONING_ORIGIN : CHAT_REASONING_ORIGIN),
    acceptedContent: () =>
      settings.acceptedContent ?? (responsesApi ? OPENAI_RESPONSES_CONTENT : OPENAI_CHAT_CONTENT),

    async generate(request: ChatRequest, context: ProviderContext): Promise<ChatResult> {
      if (responsesApi) {
        const body = mapResponsesRequest(request, { stream: false, ...responsesMapping });
        const response = await call("POST", "/responses", body, context);
        return mapResponsesResponse(await response.json(), source);
      }
      const response = await call(
        "POST",
        paths.chat(request.model),
        mapChatRequest(request, mapping(false)),
        context,
      );
      return mapChatResponse(await response.json(), source);
    },

    async *stream(request: ChatRequest, context: ProviderContext): AsyncGenerator<ChatStreamPart> {
      if (responsesApi) {
        const body = mapResponsesRequest(request, { stream: true, ...responsesMapping });
        const response = await call("POST", "/responses", body, context, "text/event-stream");
        yield* mapResponsesStream(response.events(), { provider: settings.name });
        return;
      }
      const response = await call(
        "POST",
        paths.chat(request.model),
        mapChatRequest(request, mapping(true)),
        context,
        "text/event-stream",
      );
      yield* mapStream(response.events(), { provider: settings.name });
    },

    async embed(request: EmbeddingsRequest, context: ProviderContext): Promise<EmbeddingsResult> {
      const body = mapEmbeddingsRequest(request, settings.providerOptionsKeys);
      const response = await call("POST", paths.embeddings(request.model), body, context);
      return mapEmbeddingsResponse(await response.json(), source);
    },

    async listModels(context: ProviderContext): Promise<ModelInfo[]> {
      const response = await call("GET", paths.models(), undefined, context);
      return mapModelsResponse(await response.json());
    },

    async healthCheck(context: ProviderContext): Promise<unknown> {
      const response = await call("GET", paths.models(), undefined, context);
      await response.text(); // drain, so the connection goes back to the pool
      return { status: response.status };
    },

    close: () => http.close(),
  };
  return guardInternalErrors(adapter, settings.name);
}
