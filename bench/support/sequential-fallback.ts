import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describeError } from "../../src/gateway/error-response.js";
import { openAIChatProtocol } from "../../src/gateway/protocols/openai/chat-protocol.js";
import type { LlmProvider } from "../../src/llm/llm-provider.js";
import type { ChatStreamPart } from "../../src/llm/stream-part.js";
import {
  createLlmProvider,
  type LlmProviderType,
} from "../../src/providers/create-llm-provider.js";

/** One upstream of the baseline, tried in list order. */
export interface SequentialProvider {
  name: string;
  type: LlmProviderType;
  baseUrl: string;
  apiKey: string;
  /** The vendor model every request is sent with. */
  model: string;
}

export interface SequentialFallbackOptions {
  /** For each model name a client may send, the providers to try, in order. */
  models: Readonly<Record<string, readonly SequentialProvider[]>>;
  host?: string;
  port?: number;
  /** Time limit of one attempt. Default 30_000. */
  attemptTimeoutMs?: number;
}

export interface SequentialFallback {
  readonly url: string;
  close(): Promise<void>;
}

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
};

/**
 * The baseline of the chaos benchmark: what a plain fallback does. On every request it tries each
 * provider of the requested model in order, one attempt each, with a per-attempt timeout, and answers with the first that
 * works: no breaker, no cooldowns, no retries, no hedging. It speaks Chat Completions
 * (`POST /v1/chat/completions`) with our adapters and the gateway's own wire encoders, so the only
 * difference from Switchyard is the routing. Answers carry `x-switchyard-attempts` and
 * `x-switchyard-provider` like the gateway's.
 */
export async function startSequentialFallback(
  options: SequentialFallbackOptions,
): Promise<SequentialFallback> {
  const routes = new Map<string, Upstream[]>();
  for (const [model, providers] of Object.entries(options.models)) {
    routes.set(
      model,
      providers.map((provider) => ({
        provider,
        adapter: createLlmProvider(provider.type, {
          name: provider.name,
          apiKey: provider.apiKey,
          baseUrl: provider.baseUrl,
          // No pool cap in the way: a browned-out primary holds a connection per request.
          maxConnections: 1024,
        }),
      })),
    );
  }
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
  const server = createServer((request, response) => {
    handle(request, response, routes, attemptTimeoutMs).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 0 }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      const adapters = [...routes.values()].flat();
      await Promise.all(adapters.map(({ adapter }) => adapter.close()));
    },
  };
}

interface Upstream {
  provider: SequentialProvider;
  adapter: LlmProvider;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  routes: ReadonlyMap<string, readonly Upstream[]>,
  attemptTimeoutMs: number,
): Promise<void> {
  if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
    sendJson(response, 404, {
      error: { message: `no route for ${request.method} ${request.url}` },
    });
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    sendJson(response, 400, { error: { message: "the request body is not valid JSON" } });
    return;
  }
  const parsed = openAIChatProtocol.parse(body);
  if (!parsed.ok) {
    sendError(response, parsed.error, 0);
    return;
  }
  const { request: chat, stream, includeUsage } = parsed.value;
  const upstreams = routes.get(chat.model);
  if (!upstreams) {
    sendJson(response, 404, { error: { message: `unknown model ${chat.model}` } });
    return;
  }
  const clientGone = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) clientGone.abort(new Error("the client went away"));
  });
  let lastError: unknown = new Error("no providers configured");
  let attempts = 0;
  for (const { provider, adapter } of upstreams) {
    attempts++;
    const context = {
      signal: AbortSignal.any([clientGone.signal, AbortSignal.timeout(attemptTimeoutMs)]),
      attempt: 1,
      targetId: provider.name,
    };
    const upstreamRequest = { ...chat, model: provider.model };
    const headers = {
      "x-switchyard-attempts": String(attempts),
      "x-switchyard-provider": provider.name,
    };
    if (!stream) {
      try {
        const result = await adapter.generate(upstreamRequest, context);
        sendJson(response, 200, openAIChatProtocol.render(result, provider.model), headers);
        return;
      } catch (error) {
        lastError = error;
        continue;
      }
    }
    const iterator = adapter.stream(upstreamRequest, context)[Symbol.asyncIterator]();
    let first: IteratorResult<ChatStreamPart>;
    try {
      first = await iterator.next();
    } catch (error) {
      lastError = error;
      continue;
    }
    // Committed: from here a failure can only end the stream with an error event.
    const encoder = openAIChatProtocol.encoder(provider.model, includeUsage);
    response.writeHead(200, { ...SSE_HEADERS, ...headers });
    try {
      for (let next = first; !next.done; next = await iterator.next()) {
        const text = encoder.encode(next.value);
        if (text && !response.write(text)) await once(response, "drain");
      }
      response.end(encoder.end());
    } catch (error) {
      response.end(encoder.fail(error));
    }
    return;
  }
  sendError(response, lastError, attempts);
}

function sendError(response: ServerResponse, error: unknown, attempts: number): void {
  const rendered = openAIChatProtocol.renderError(describeError(error));
  sendJson(response, rendered.status, rendered.body, {
    ...rendered.headers,
    "x-switchyard-attempts": String(attempts),
  });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
}
