import type { WireRequest } from "../../llm/chat.js";
import type { WirePassThrough } from "../../llm/llm-provider.js";
import { MessagesEventReader, mapResponse as mapAnthropicResponse } from "../anthropic/index.js";
import { createWirePassThrough, type WireEndpoint } from "../shared/wire-pass-through.js";

/** The `anthropic_version` Claude on Vertex takes in the body. */
export const VERTEX_ANTHROPIC_VERSION = "vertex-2023-10-16";

export interface RawPredictWireOptions {
  provider: string;
  now: () => number;
  unsupportedFields: readonly string[];
  /** The provider's static header names: a client may not override them. */
  staticHeaders: readonly string[];
  /** `.../publishers/anthropic/models/{model}:rawPredict` or `:streamRawPredict`. */
  path: (model: string, stream: boolean) => string;
  /** Whether a model is Claude (published by Anthropic) on this provider. */
  servesModel: (model: string) => boolean;
  /** Sends a request with the access token; a non-2xx answer is thrown classified. */
  send: WireEndpoint["send"];
}

/**
 * The Messages pass-through on Vertex AI, for Claude models only: rawPredict / streamRawPredict
 * with the client's body as it came, minus `model` (Vertex takes it from the path), plus
 * `anthropic_version: vertex-2023-10-16`; `stream` stays, as Vertex reads it. The client's
 * `anthropic-beta` header passes as a header (Vertex reads it there); `anthropic-version` does not
 * (the body says it). The answer and the stream are Anthropic's, relayed as they came.
 */
export function createRawPredictWire(options: RawPredictWireOptions): WirePassThrough {
  const { provider, now } = options;
  const { forward: _none, ...wire } = createWirePassThrough({
    protocol: "anthropic",
    unsupportedFields: options.unsupportedFields,
    provider,
    path: options.path,
    fixedHeaders: new Set(
      ["anthropic-version", "authorization", ...options.staticHeaders].map((name) =>
        name.toLowerCase(),
      ),
    ),
    send: options.send,
    prepare: prepareRawPredictBody,
    readResponse: (body) => ({
      ...mapAnthropicResponse(body, { provider }),
      adapterType: "vertex",
    }),
    streamReader: () => new MessagesEventReader({ provider, now }),
    servesModel: options.servesModel,
  });
  // Token counting goes elsewhere on Vertex (`count-tokens:rawPredict`): the gateway estimates.
  return wire;
}

/** The client's Messages body as rawPredict takes it (changed in place). */
export function prepareRawPredictBody(body: Record<string, unknown>, _request: WireRequest): void {
  Reflect.deleteProperty(body, "model");
  body.anthropic_version = VERTEX_ANTHROPIC_VERSION;
}
