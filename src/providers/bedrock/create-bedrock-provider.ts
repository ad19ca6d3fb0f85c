import type { ProviderContext } from "../../engine/provider.js";
import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ContentFeature } from "../../llm/content-features.js";
import type { LlmProvider, ModelInfo } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { AdapterOptions } from "../shared/adapter-options.js";
import { cancellationOf } from "../shared/cancellation-of.js";
import { guardInternalErrors } from "../shared/guard-internal-errors.js";
import { createHttpClient, type HttpClient } from "../shared/http-client.js";
import type { HttpResponse } from "../shared/http-response.js";
import { isRecord, readArray, readString } from "../shared/json-fields.js";
import { checkMaxResponseBytes } from "../shared/response-limit.js";
import { applyTargetAdditions } from "../shared/target-additions.js";
import { reasoningOrigin } from "./anthropic-model.js";
import {
  type AwsCredentialSource,
  type AwsCredentials,
  cachedCredentials,
  defaultCredentialChain,
} from "./aws-credentials.js";
import { decodeEventStream, EVENT_STREAM } from "./decode-event-stream.js";
import { createInvokeWire } from "./invoke-wire.js";
import { mapConverseRequest } from "./map-converse-request.js";
import { mapConverseResponse } from "./map-converse-response.js";
import { mapConverseStream } from "./map-converse-stream.js";
import { mapBedrockError } from "./map-error.js";
import { signRequest } from "./sign-request.js";

export interface BedrockProviderOptions extends Omit<AdapterOptions, "apiKey"> {
  /** The AWS region requests are signed for (and sent to, without `baseUrl`). */
  region: string;
  /** Static credentials; without them (and without `credentialSource`) the default chain. */
  credentials?: AwsCredentials;
  /** Where credentials come from instead (any AWS SDK credential provider). */
  credentialSource?: AwsCredentialSource;
  /**
   * An endpoint override (VPC endpoint, FIPS endpoint, a test server) for both the runtime and the
   * model listing. Default `https://bedrock-runtime.{region}.amazonaws.com` (runtime) and
   * `https://bedrock.{region}.amazonaws.com` (models).
   */
  baseUrl?: string;
}

/** A signed request's body (JSON text) and headers beyond `host` and `content-type`. */
interface SendOptions {
  body?: string;
  headers?: Record<string, string>;
}

/** The signing name of every Bedrock endpoint. */
const SERVICE = "bedrock";

/**
 * An LlmProvider for Amazon Bedrock's Converse and ConverseStream APIs (every model family), and,
 * for Messages clients asking Claude, InvokeModel / InvokeModelWithResponseStream with the client's
 * own body (the pass-through, see `createInvokeWire`),
 * signed with AWS Signature Version 4 by the AWS SDK's signer; the binary event stream is decoded by
 * the SDK's codec. `GET /foundation-models` (the control plane) lists models and is the health check.
 */
export function createBedrockProvider(options: BedrockProviderOptions): LlmProvider {
  const provider = options.name ?? "bedrock";
  const now = options.now ?? Date.now;
  const { region } = options;
  const maxResponseBytes = checkMaxResponseBytes(provider, options.maxResponseBytes);
  const staticCredentials = options.credentials;
  const credentials = cachedCredentials(
    options.credentialSource ??
      (staticCredentials === undefined
        ? defaultCredentialChain()
        : () => Promise.resolve(staticCredentials)),
    provider,
    now,
  );
  const runtime = signedClient(
    options.baseUrl ?? `https://bedrock-runtime.${region}.amazonaws.com`,
  );
  let control: ReturnType<typeof signedClient> | undefined;
  const controlPlane = () => {
    control ??=
      options.baseUrl === undefined
        ? signedClient(`https://bedrock.${region}.amazonaws.com`)
        : runtime;
    return control;
  };

  function signedClient(baseUrl: string) {
    const url = new URL(baseUrl);
    const basePath = url.pathname.replace(/\/+$/, "");
    const http: HttpClient = createHttpClient({
      providerName: provider,
      baseUrl,
      headers: options.headers ?? {},
      connectTimeoutMs: options.connectTimeoutMs,
      firstByteTimeoutMs: options.firstByteTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      maxConnections: options.maxConnections,
      maxResponseBytes,
    });
    async function send(
      method: "GET" | "POST",
      path: string,
      context: ProviderContext,
      options: SendOptions = {},
    ): Promise<HttpResponse> {
      // The target's headers are signed with the rest; host and the signature's own are set last.
      const added = applyTargetAdditions(context, options.body, {
        accept: "application/json",
        ...options.headers,
      });
      const text = added.body;
      const headers: Record<string, string> = { ...added.headers, host: url.host };
      if (text !== undefined) headers["content-type"] = "application/json";
      const signed = await signRequest(
        {
          method,
          protocol: url.protocol,
          hostname: url.hostname,
          ...(url.port === "" ? {} : { port: Number(url.port) }),
          path: basePath + path,
          headers,
          ...(text === undefined ? {} : { body: text }),
        },
        { credentials: await credentials(), region, service: SERVICE },
      );
      const response = await http.request({
        method,
        path,
        body: text,
        headers: signed,
        cancellation: cancellationOf(context),
      });
      if (response.status >= 200 && response.status < 300) return response;
      throw mapBedrockError({
        status: response.status,
        headers: response.headers,
        bodyText: await response.text(),
        nowMs: now(),
        provider,
      });
    }
    return { send, close: () => http.close() };
  }

  const modelPath = (model: string, action: string) =>
    `/model/${encodeURIComponent(model)}/${action}`;

  async function generate(request: ChatRequest, context: ProviderContext): Promise<ChatResult> {
    const body = mapConverseRequest(request, provider);
    const response = await runtime.send("POST", modelPath(request.model, "converse"), context, {
      body: converseBody(body, context),
    });
    return mapConverseResponse(await response.json(), {
      provider,
      model: request.model,
      requestId: response.headers["x-amzn-requestid"] ?? "",
      type: "bedrock",
    });
  }

  async function* stream(
    request: ChatRequest,
    context: ProviderContext,
  ): AsyncGenerator<ChatStreamPart> {
    const body = mapConverseRequest(request, provider);
    const response = await runtime.send(
      "POST",
      modelPath(request.model, "converse-stream"),
      context,
      { body: converseBody(body, context), headers: { accept: EVENT_STREAM } },
    );
    const limit = { provider, maxBytes: maxResponseBytes, status: response.status };
    yield* mapConverseStream(decodeEventStream(response.body, limit), {
      provider,
      model: request.model,
      requestId: response.headers["x-amzn-requestid"] ?? "",
    });
  }

  async function listModels(context: ProviderContext): Promise<ModelInfo[]> {
    const response = await controlPlane().send("GET", "/foundation-models", context);
    const body = await response.json();
    const summaries = isRecord(body) ? (readArray(body, "modelSummaries") ?? []) : [];
    return summaries.filter(isRecord).flatMap((summary) => {
      const id = readString(summary, "modelId");
      return id === undefined ? [] : [{ id, ownedBy: readString(summary, "providerName") }];
    });
  }

  const wire = createInvokeWire({
    provider,
    now,
    maxResponseBytes,
    unsupportedFields: options.unsupportedFields ?? [],
    staticHeaders: Object.keys(options.headers ?? {}),
    send: (path, body, headers, context) => runtime.send("POST", path, context, { body, headers }),
  });

  const adapter: LlmProvider = {
    type: "bedrock",
    wire,
    acceptedContent: () => CONVERSE_CONTENT,
    reasoningOrigin,
    generate,
    stream,
    listModels,
    async healthCheck(context) {
      const response = await controlPlane().send("GET", "/foundation-models", context);
      await response.text();
      return { status: response.status };
    },
    async close() {
      await runtime.close();
      if (control !== undefined && control !== runtime) await control.close();
    },
  };
  return guardInternalErrors(adapter, provider);
}

/** A Converse body as sent: the target's `params` merged in (a pass-through body comes merged). */
function converseBody(body: Record<string, unknown>, context: ProviderContext): string {
  return JSON.stringify(applyTargetAdditions(context, body, undefined).body);
}

/** What Converse takes beyond text and images: inline documents and media in tool results (no URLs, no audio). */
const CONVERSE_CONTENT: readonly ContentFeature[] = ["document", "tool-result-media"];
