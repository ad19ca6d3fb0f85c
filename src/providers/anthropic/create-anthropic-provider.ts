import type { ProviderContext } from "../../engine/provider.js";
import type { ChatRequest } from "../../llm/chat.js";
import type { LlmProvider, ModelInfo } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { AdapterOptions } from "../shared/adapter-options.js";
import { cancellationOf } from "../shared/cancellation-of.js";
import { guardInternalErrors } from "../shared/guard-internal-errors.js";
import { createHttpClient } from "../shared/http-client.js";
import type { HttpResponse } from "../shared/http-response.js";
import { isRecord, readString } from "../shared/json-fields.js";
import { applyTargetAdditions } from "../shared/target-additions.js";
import { createWirePassThrough } from "../shared/wire-pass-through.js";
import { ANTHROPIC_CONTENT } from "./map-content.js";
import { mapError } from "./map-error.js";
import { ANTHROPIC_REASONING_ORIGIN } from "./map-reasoning.js";
import { mapRequest } from "./map-request.js";
import { mapResponse } from "./map-response.js";
import { MessagesEventReader, mapStream } from "./map-stream.js";

export interface AnthropicProviderOptions extends AdapterOptions {
  /**
   * The API root without the version segment, as the official SDKs take it; paths such as
   * `/v1/messages` are appended. Default `https://api.anthropic.com`.
   */
  baseUrl?: string;
  /** `max_tokens` for requests that set none (the API requires one); default 4096. */
  defaultMaxTokens?: number;
  /** The `anthropic-version` header; default `2023-06-01`. */
  apiVersion?: string;
}

const DEFAULT_BASE_URL = "https://api.anthropic.com";
const DEFAULT_API_VERSION = "2023-06-01";
const DEFAULT_MAX_TOKENS = 4096;
/** Models listing is paged; this bounds the walk should the API keep saying `has_more`. */
const MAX_MODEL_PAGES = 50;

/** An LlmProvider for the Anthropic Messages API. No embeddings: Anthropic has no such endpoint. */
export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
    throw new TypeError("anthropic provider: apiKey must be a non-empty string");
  }
  const defaultMaxTokens = options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(defaultMaxTokens) || defaultMaxTokens < 1) {
    throw new RangeError(
      `anthropic provider: defaultMaxTokens must be a positive integer (got ${defaultMaxTokens})`,
    );
  }
  const provider = options.name ?? "anthropic";
  const now = options.now ?? Date.now;
  const client = createHttpClient({
    providerName: provider,
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    headers: {
      ...options.headers,
      "x-api-key": options.apiKey,
      "anthropic-version": options.apiVersion ?? DEFAULT_API_VERSION,
    },
    connectTimeoutMs: options.connectTimeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxConnections: options.maxConnections,
    maxResponseBytes: options.maxResponseBytes,
  });

  /** Sends a request; any non-2xx answer is read and thrown as a classified ProviderError. */
  async function send(
    method: "GET" | "POST",
    path: string,
    context: ProviderContext,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResponse> {
    const added = applyTargetAdditions(context, body, headers);
    const response = await client.request({
      method,
      path,
      body: added.body,
      headers: added.headers,
      cancellation: cancellationOf(context),
    });
    if (response.status >= 200 && response.status < 300) return response;
    const text = await response.text();
    throw mapError(response.status, response.headers, text, now(), provider);
  }

  async function* stream(
    request: ChatRequest,
    context: ProviderContext,
  ): AsyncGenerator<ChatStreamPart> {
    const body = mapRequest(request, { defaultMaxTokens, stream: true, provider });
    const response = await send("POST", "/v1/messages", context, body, {
      accept: "text/event-stream",
    });
    yield* mapStream(response.events(), { provider, now });
  }

  // The client's `anthropic-version` and `anthropic-beta` may pass; the key and static headers not.
  const fixedHeaders = new Set(
    ["x-api-key", ...Object.keys(options.headers ?? {})].map((name) => name.toLowerCase()),
  );
  const wire = createWirePassThrough({
    protocol: "anthropic",
    unsupportedFields: options.unsupportedFields ?? [],
    provider,
    path: () => "/v1/messages",
    fixedHeaders,
    send: (path, body, headers, context) => send("POST", path, context, body, headers),
    readResponse: (body) => mapResponse(body, { provider }),
    streamReader: () => new MessagesEventReader({ provider, now }),
  });

  const adapter: LlmProvider = {
    type: "anthropic",
    wire,
    // Messages continues a trailing assistant message (not with extended thinking, nor after
    // trailing whitespace: the gateway's continuation request handles both).
    assistantPrefill: true,
    reasoningOrigin: () => ANTHROPIC_REASONING_ORIGIN,
    acceptedContent: () => ANTHROPIC_CONTENT,
    async generate(request, context) {
      const body = mapRequest(request, { defaultMaxTokens, stream: false, provider });
      const response = await send("POST", "/v1/messages", context, body);
      return mapResponse(await response.json(), { provider });
    },
    stream,
    async healthCheck(context) {
      const response = await send("GET", "/v1/models?limit=1", context);
      await response.text();
      return { status: response.status };
    },
    async listModels(context) {
      const models: ModelInfo[] = [];
      let afterId: string | undefined;
      for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
        const query = afterId === undefined ? "" : `&after_id=${encodeURIComponent(afterId)}`;
        const response = await send("GET", `/v1/models?limit=1000${query}`, context);
        const body = await response.json();
        const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
        for (const model of data) {
          const id = isRecord(model) ? readString(model, "id") : undefined;
          if (id !== undefined) models.push({ id, ownedBy: "anthropic" });
        }
        afterId =
          isRecord(body) && body.has_more === true ? readString(body, "last_id") : undefined;
        if (afterId === undefined) break;
      }
      return models;
    },
    close: () => client.close(),
  };
  return guardInternalErrors(adapter, provider);
}
