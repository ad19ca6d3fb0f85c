import type { ProviderContext } from "../../engine/provider.js";
import type { ChatResult, WireRequest } from "../../llm/chat.js";
import type { WirePassThrough } from "../../llm/llm-provider.js";
import type { TargetCallContext } from "../../llm/target-additions.js";
import type { HttpResponse } from "./http-response.js";
import { parseJsonText } from "./parse-json-text.js";
import type { SseEvent } from "./parse-sse.js";
import { relayEvents } from "./relay-events.js";
import type { StreamReader } from "./stream-reader.js";
import { mergeTargetParams } from "./target-additions.js";

/** What an adapter tells the pass-through about its vendor's endpoint. */
export interface WireEndpoint {
  protocol: string;
  unsupportedFields: readonly string[];
  provider: string;
  /** The chat path for an upstream model and a streamed or whole answer, e.g. `/chat/completions`. */
  path: (model: string, stream: boolean) => string;
  /**
   * Header names (lower-case) the adapter itself sets and a client may not override: its credentials
   * and the provider's static headers. Forwarded client headers with these names are dropped.
   */
  fixedHeaders: ReadonlySet<string>;
  /** Sends a request; a non-2xx answer is read and thrown as a classified ProviderError. */
  send(
    path: string,
    body: string,
    headers: Record<string, string>,
    context: ProviderContext,
  ): Promise<HttpResponse>;
  /** Per-target additions to the client's body (its `model` is already set). */
  prepare?(body: Record<string, unknown>, request: WireRequest): void;
  /** The unified reading of an answer body: usage, finish, id, for the gateway's accounting. */
  readResponse(body: unknown): ChatResult;
  /** The adapter's own stream reader, one per stream: its parts say where the first output is, usage and finish. */
  streamReader(): StreamReader;
  /** A streamed answer's events, when its body is no `text/event-stream` (default `response.events()`). */
  events?(response: HttpResponse): AsyncIterable<SseEvent>;
  /** Whether a model speaks `protocol` here (see `WirePassThrough.servesModel`); default: all do. */
  servesModel?(model: string): boolean;
}

/**
 * The same-protocol pass-through of an adapter: the client's body goes out as it came (with the
 * target's model and the adapter's additions), the answer comes back as the upstream sent it. The
 * adapter's own readers run over the answer for what the gateway needs (errors, usage, finish, the
 * first output), so failures are classified exactly as on the translated path.
 */
export function createWirePassThrough(endpoint: WireEndpoint): WirePassThrough {
  /**
   * The body sent: the client's, with the target's model and the adapter's additions, then the
   * target's `params` (`TargetAdditions`) for a chat call; a forwarded call (token counting) gets no
   * params, as the endpoint takes no generation fields.
   */
  const body = (request: WireRequest, model: string, context?: ProviderContext): string => {
    const out: Record<string, unknown> = { ...request.body, model };
    endpoint.prepare?.(out, request);
    const target = (context as TargetCallContext | undefined)?.target;
    return JSON.stringify(target === undefined ? out : mergeTargetParams(out, target));
  };
  const headers = (request: WireRequest, accept: string): Record<string, string> => {
    const out: Record<string, string> = { accept };
    for (const name in request.headers) {
      if (!endpoint.fixedHeaders.has(name)) out[name] = request.headers[name] as string;
    }
    out["content-type"] = "application/json";
    return out;
  };
  const events = (response: HttpResponse) => endpoint.events?.(response) ?? response.events();
  return {
    protocol: endpoint.protocol,
    unsupportedFields: endpoint.unsupportedFields,
    ...(endpoint.servesModel === undefined ? {} : { servesModel: endpoint.servesModel }),
    async generate(request, model, context) {
      const response = await endpoint.send(
        endpoint.path(model, false),
        body(request, model, context),
        headers(request, "application/json"),
        context,
      );
      const text = await response.text();
      const parsed = parseJsonText(text, {
        provider: endpoint.provider,
        what: "response body",
        status: response.status,
      });
      return { ...endpoint.readResponse(parsed), wireBody: text };
    },
    stream(request, model, context) {
      // The request is sent when the first part is asked for; a failure to send is thrown there.
      const open = async () =>
        events(
          await endpoint.send(
            endpoint.path(model, true),
            body(request, model, context),
            headers(request, "text/event-stream"),
            context,
          ),
        );
      return relayEvents(open, endpoint.streamReader());
    },
    async forward(path, request, model, context) {
      const response = await endpoint.send(
        path,
        body(request, model),
        headers(request, "application/json"),
        context,
      );
      return { status: response.status, body: await response.text() };
    },
  };
}
