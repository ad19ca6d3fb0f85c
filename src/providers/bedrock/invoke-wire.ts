import type { WireRequest } from "../../llm/chat.js";
import type { WirePassThrough } from "../../llm/llm-provider.js";
import { mapResponse as mapAnthropicResponse } from "../anthropic/index.js";
import { createWirePassThrough, type WireEndpoint } from "../shared/wire-pass-through.js";
import { isAnthropicModel } from "./anthropic-model.js";
import { decodeEventStream, EVENT_STREAM } from "./decode-event-stream.js";
import { InvokeStreamReader, invokeStreamEvents } from "./read-invoke-stream.js";

/** The `anthropic_version` Claude on Bedrock takes in the body. */
export const BEDROCK_ANTHROPIC_VERSION = "bedrock-2023-05-31";

export interface InvokeWireOptions {
  provider: string;
  now: () => number;
  maxResponseBytes: number;
  unsupportedFields: readonly string[];
  /** The provider's static header names: a client may not override them. */
  staticHeaders: readonly string[];
  /** Sends a signed request; a non-2xx answer is thrown as a classified ProviderError. */
  send: WireEndpoint["send"];
}

/**
 * The Messages pass-through on Bedrock, for Anthropic models only: InvokeModel /
 * InvokeModelWithResponseStream with the client's body as it came, minus `model` and `stream`
 * (Bedrock takes both from the path), plus `anthropic_version: bedrock-2023-05-31` and the client's
 * `anthropic-beta` header as the body's `anthropic_beta` array (Bedrock reads no Anthropic
 * headers). The answer is Anthropic's JSON, relayed as it came; the stream's `chunk` events hold
 * Anthropic's stream events (base64), relayed one by one as server-sent events.
 */
export function createInvokeWire(options: InvokeWireOptions): WirePassThrough {
  const { provider, now } = options;
  const { forward: _none, ...wire } = createWirePassThrough({
    protocol: "anthropic",
    unsupportedFields: options.unsupportedFields,
    provider,
    path: (model, stream) =>
      `/model/${encodeURIComponent(model)}/${stream ? "invoke-with-response-stream" : "invoke"}`,
    fixedHeaders: new Set(
      ["anthropic-version", "anthropic-beta", ...options.staticHeaders].map((name) =>
        name.toLowerCase(),
      ),
    ),
    send: (path, body, headers, context) =>
      options.send(
        path,
        body,
        { ...headers, accept: path.endsWith("-stream") ? EVENT_STREAM : "application/json" },
        context,
      ),
    prepare: prepareInvokeBody,
    readResponse: (body) => ({
      ...mapAnthropicResponse(body, { provider }),
      adapterType: "bedrock",
    }),
    streamReader: () => new InvokeStreamReader({ provider, now }),
    events: (response) =>
      invokeStreamEvents(
        decodeEventStream(response.body, {
          provider,
          maxBytes: options.maxResponseBytes,
          status: response.status,
        }),
        provider,
      ),
    servesModel: isAnthropicModel,
  });
  // Token counting has no Messages-shaped endpoint on Bedrock: the gateway estimates instead.
  return wire;
}

/** The client's Messages body as InvokeModel takes it (changed in place). */
export function prepareInvokeBody(body: Record<string, unknown>, request: WireRequest): void {
  Reflect.deleteProperty(body, "model");
  Reflect.deleteProperty(body, "stream");
  body.anthropic_version = BEDROCK_ANTHROPIC_VERSION;
  const betas = (request.headers["anthropic-beta"] ?? "")
    .split(",")
    .map((beta) => beta.trim())
    .filter((beta) => beta !== "");
  if (betas.length === 0) return;
  const given = Array.isArray(body.anthropic_beta) ? body.anthropic_beta : [];
  body.anthropic_beta = [...new Set([...given, ...betas])];
}
