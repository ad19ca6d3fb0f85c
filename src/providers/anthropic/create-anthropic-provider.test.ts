import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collect } from "../../../test/support/collect.js";
import type { ProviderContext } from "../../engine/provider.js";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatRequest } from "../../llm/chat.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { createAnthropicProvider } from "./create-anthropic-provider.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

const API_KEY = "sk-ant-api03-test-secret-key";

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** What the scripted server answers: a body at once, chunks one by one, or chunks then silence. */
interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  chunks?: string[];
  hang?: boolean;
}

let server: Server;
let baseUrl: string;
let recorded: Recorded[] = [];
let script: (request: Recorded) => Reply = () => ({ status: 500 });
const open = new Set<ServerResponse>();
const providers: LlmProvider[] = [];

beforeAll(async () => {
  server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    const entry = {
      method: request.method ?? "",
      url: request.url ?? "",
      headers: request.headers,
      body,
    };
    recorded.push(entry);
    const reply = script(entry);
    response.writeHead(reply.status, reply.headers ?? { "content-type": "application/json" });
    if (reply.chunks === undefined) {
      response.end(reply.body ?? "");
      return;
    }
    open.add(response);
    for (const chunk of reply.chunks) {
      response.write(chunk);
      // Let each chunk reach the socket on its own.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!reply.hang) {
      response.end();
      open.delete(response);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const response of open) response.destroy();
  open.clear();
  recorded = [];
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function provider(extra: { defaultMaxTokens?: number; now?: () => number } = {}): LlmProvider {
  const created = createAnthropicProvider({ apiKey: API_KEY, baseUrl, name: "claude", ...extra });
  providers.push(created);
  return created;
}

function context(signal = new AbortController().signal): ProviderContext {
  return { signal, attempt: 1, targetId: "claude" };
}

const chat: ChatRequest = {
  model: "claude-sonnet-4-5-20250929",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hello" },
  ],
};

/** Splits text into chunks of a few bytes, so events and lines straddle chunk boundaries. */
function chop(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

const sse = { "content-type": "text/event-stream" };

describe("createAnthropicProvider", () => {
  it("generates: POST /v1/messages with the auth and version headers", async () => {
    script = () => ({ status: 200, body: fixture("message-text.json") });
    const result = await provider({ defaultMaxTokens: 1024 }).generate(chat, context());
    expect(result).toMatchObject({
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      adapterType: "anthropic",
      text: "Hi! My name is Claude.",
      finishReason: "stop",
    });
    const [request] = recorded;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe(API_KEY);
    expect(request?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request?.headers["content-type"]).toContain("application/json");
    expect(JSON.parse(request?.body ?? "")).toEqual({
      model: "claude-sonnet-4-5-20250929",
      system: "Be brief.",
      messages: [{ role: "user", content: "Hello" }],
      max_tokens: 1024,
    });
  });

  it("streams fixture bytes delivered in small chunks", async () => {
    script = () => ({ status: 200, headers: sse, chunks: chop(fixture("stream-tool-use.sse"), 7) });
    const parts = await collect(provider().stream(chat, context()));
    expect(parts[0]).toEqual({
      type: "response-metadata",
      id: "msg_014p7gG3wDgGV9EUtLvnow3U",
      model: "claude-sonnet-4-5-20250929",
    });
    const json = parts
      .map((part) => (part.type === "tool-call-delta" ? part.argumentsDelta : ""))
      .join("");
    expect(JSON.parse(json)).toEqual({ location: "San Francisco, CA", unit: "fahrenheit" });
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool_calls" });
    const body = JSON.parse(recorded[0]?.body ?? "");
    expect(body.stream).toBe(true);
    expect(body.max_tokens).toBe(4096);
    expect(recorded[0]?.headers.accept).toBe("text/event-stream");
  });

  it("throws a status error before the first part, so the engine can fail over", async () => {
    script = () => ({
      status: 529,
      headers: { "retry-after": "2" },
      body: fixture("error-overloaded.json"),
    });
    const iterator = provider().stream(chat, context())[Symbol.asyncIterator]();
    const error = await iterator.next().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      kind: "transient",
      status: 529,
      retryAfterMs: 2000,
      provider: "claude",
    });
  });

  it("classifies a rate limit against the injected wall clock", async () => {
    const nowMs = Date.parse("2026-02-01T10:00:00Z");
    script = () => ({
      status: 429,
      headers: {
        "content-type": "application/json",
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": "2026-02-01T10:00:15Z",
      },
      body: fixture("error-rate-limit.json"),
    });
    await expect(provider({ now: () => nowMs }).generate(chat, context())).rejects.toMatchObject({
      kind: "rate_limited",
      status: 429,
      retryAfterMs: 15_000,
    });
  });

  it("throws transient when the stream is cut before message_stop", async () => {
    script = () => ({
      status: 200,
      headers: sse,
      chunks: chop(fixture("stream-truncated.sse"), 50),
    });
    const parts: ChatStreamPart[] = [];
    const error = await (async () => {
      for await (const part of provider().stream(chat, context())) parts.push(part);
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(parts.map((part) => part.type)).toEqual(["response-metadata", "text-delta"]);
    expect(error).toMatchObject({ kind: "transient" });
  });

  it("throws an error event that arrives mid-stream", async () => {
    script = () => ({
      status: 200,
      headers: sse,
      chunks: [fixture("stream-error-mid-output.sse")],
    });
    await expect(collect(provider().stream(chat, context()))).rejects.toMatchObject({
      kind: "rate_limited",
      vendorCode: "rate_limit_error",
    });
  });

  it("rethrows the caller's abort reason mid-stream", async () => {
    const start = fixture("stream-text.sse").split("event: content_block_stop")[0] ?? "";
    script = () => ({ status: 200, headers: sse, chunks: [start], hang: true });
    const controller = new AbortController();
    const iterator = provider().stream(chat, context(controller.signal))[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: "response-metadata" });
    const reason = new Error("caller went away");
    const pending = (async () => {
      for (;;) {
        const step = await iterator.next();
        if (step.done) return;
      }
    })();
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it("health-checks with an authenticated GET /v1/models", async () => {
    script = () => ({ status: 200, body: fixture("models-list.json") });
    await expect(provider().healthCheck(context())).resolves.toEqual({ status: 200 });
    expect(recorded[0]?.method).toBe("GET");
    expect(recorded[0]?.url).toBe("/v1/models?limit=1");
    expect(recorded[0]?.headers["x-api-key"]).toBe(API_KEY);

    script = () => ({ status: 401, body: fixture("error-authentication.json") });
    const error = await provider()
      .healthCheck(context())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "auth", status: 401 });
    expect((error as Error).message).not.toContain(API_KEY);
  });

  it("lists models across pages", async () => {
    const page = (ids: string[], hasMore: boolean) =>
      JSON.stringify({
        data: ids.map((id) => ({
          type: "model",
          id,
          display_name: id,
          created_at: "2025-01-01T00:00:00Z",
        })),
        has_more: hasMore,
        first_id: ids[0],
        last_id: ids.at(-1),
      });
    script = (request) =>
      request.url.includes("after_id=model-b")
        ? { status: 200, body: page(["model-c"], false) }
        : { status: 200, body: page(["model-a", "model-b"], true) };
    const models = await provider().listModels?.(context());
    expect(models).toEqual([
      { id: "model-a", ownedBy: "anthropic" },
      { id: "model-b", ownedBy: "anthropic" },
      { id: "model-c", ownedBy: "anthropic" },
    ]);
    expect(recorded.map((request) => request.url)).toEqual([
      "/v1/models?limit=1000",
      "/v1/models?limit=1000&after_id=model-b",
    ]);
  });

  it("has no embeddings and says what it is", () => {
    const created = provider();
    expect(created.type).toBe("anthropic");
    expect(created.embed).toBeUndefined();
  });

  it("validates its options with precise messages", () => {
    expect(() => createAnthropicProvider({ apiKey: " " })).toThrow(
      "apiKey must be a non-empty string",
    );
    expect(() => createAnthropicProvider({ apiKey: "k", defaultMaxTokens: 0 })).toThrow(
      "defaultMaxTokens must be a positive integer (got 0)",
    );
  });
});
