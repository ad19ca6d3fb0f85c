import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { collect } from "../../../test/support/collect.js";
import { rejectionOf } from "../../../test/support/rejection-of.js";
import type { ProviderContext } from "../../engine/provider.js";
import { isProviderError } from "../../errors/provider-error.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { createOpenAIProvider } from "./create-openai-provider.js";

const fixtureBytes = (name: string): Buffer =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** One scripted answer: status, headers and body bytes (written in `chunks` pieces when given). */
interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body: Buffer | string;
  chunkDelayMs?: number;
  chunks?: number;
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const servers: Server[] = [];
const providers: LlmProvider[] = [];

afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A node:http server that replays fixture bytes by path and records what it was sent. */
async function replay(routes: Record<string, Reply>): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => {
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: text === "" ? undefined : JSON.parse(text),
      });
      const reply = routes[`${request.method} ${request.url}`];
      if (reply === undefined) {
        response.statusCode = 599;
        response.end("no route");
        return;
      }
      response.writeHead(
        reply.status ?? 200,
        reply.headers ?? { "content-type": "application/json" },
      );
      const body = Buffer.from(reply.body);
      const pieces = reply.chunks ?? 1;
      const size = Math.ceil(body.length / pieces);
      let offset = 0;
      const writeNext = () => {
        if (offset >= body.length) {
          response.end();
          return;
        }
        response.write(body.subarray(offset, offset + size));
        offset += size;
        setTimeout(writeNext, reply.chunkDelayMs ?? 0);
      };
      writeNext();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

function provider(
  baseUrl: string,
  extra: Partial<Parameters<typeof createOpenAIProvider>[0]> = {},
) {
  const created = createOpenAIProvider({
    apiKey: "sk-test-secret",
    baseUrl,
    name: "primary",
    ...extra,
  });
  providers.push(created);
  return created;
}

const context = (signal = new AbortController().signal): ProviderContext => ({
  signal,
  attempt: 1,
  targetId: "primary",
});

const sse = { "content-type": "text/event-stream" };

describe("createOpenAIProvider", () => {
  it("generates: sends auth, org and project headers and the mapped body; maps the result", async () => {
    const { baseUrl, seen } = await replay({
      "POST /v1/chat/completions": { body: fixtureBytes("chat-completion.json") },
    });
    const openai = provider(baseUrl, { organization: "org-1", project: "proj-1" });
    const result = await openai.generate(
      { model: "gpt-4.1", messages: [{ role: "user", content: "Hello!" }], maxTokens: 20 },
      context(),
    );
    expect(result.text).toBe("Hello! How can I assist you today?");
    expect(result.adapterType).toBe("openai");
    expect(openai.type).toBe("openai");
    expect(seen[0]?.headers.authorization).toBe("Bearer sk-test-secret");
    expect(seen[0]?.headers["openai-organization"]).toBe("org-1");
    expect(seen[0]?.headers["openai-project"]).toBe("proj-1");
    expect(seen[0]?.body).toEqual({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "Hello!" }],
      max_completion_tokens: 20,
    });
  });

  it("streams with include_usage, replaying the bytes in small pieces", async () => {
    const { baseUrl, seen } = await replay({
      "POST /v1/chat/completions": {
        headers: sse,
        body: fixtureBytes("stream-text.sse"),
        chunks: 17,
      },
    });
    const parts = await collect(
      provider(baseUrl).stream(
        { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] },
        context(),
      ),
    );
    expect(seen[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(seen[0]?.headers.accept).toBe("text/event-stream");
    expect(parts.map((part) => part.type)).toEqual([
      "response-metadata",
      "text-delta",
      "text-delta",
      "usage",
      "finish",
    ]);
  });

  it("throws a classified error before the first part for an error status", async () => {
    const { baseUrl } = await replay({
      "POST /v1/chat/completions": {
        status: 429,
        headers: { "content-type": "application/json", "retry-after-ms": "1500" },
        body: fixtureBytes("error-rate-limit-tokens.json"),
      },
    });
    const stream = provider(baseUrl).stream({ model: "m", messages: [] }, context());
    const error = await rejectionOf(collect(stream), isProviderError);
    expect(error.kind).toBe("rate_limited");
    expect(error.retryAfterMs).toBe(1500);
    expect(error.status).toBe(429);
    expect(error.message).not.toContain("sk-test-secret");
  });

  it("throws transient when a 200 stream is cut before [DONE]", async () => {
    const { baseUrl } = await replay({
      "POST /v1/chat/completions": { headers: sse, body: fixtureBytes("stream-truncated.sse") },
    });
    const error = await rejectionOf(
      collect(provider(baseUrl).stream({ model: "m", messages: [] }, context())),
      isProviderError,
    );
    expect(error.kind).toBe("transient");
  });

  it("reports a stalled stream as timeout", async () => {
    const { baseUrl } = await replay({
      "POST /v1/chat/completions": {
        headers: sse,
        body: fixtureBytes("stream-text.sse"),
        chunks: 2,
        chunkDelayMs: 300,
      },
    });
    const stream = provider(baseUrl, { idleTimeoutMs: 50 }).stream(
      { model: "m", messages: [] },
      context(),
    );
    const error = await rejectionOf(collect(stream), isProviderError);
    expect(error.kind).toBe("timeout");
  });

  it("rethrows the caller's abort reason mid-stream", async () => {
    const { baseUrl } = await replay({
      "POST /v1/chat/completions": {
        headers: sse,
        body: fixtureBytes("stream-text.sse"),
        chunks: 3,
        chunkDelayMs: 100,
      },
    });
    const controller = new AbortController();
    const reason = new Error("caller cancelled");
    const parts: ChatStreamPart[] = [];
    let caught: unknown;
    try {
      for await (const part of provider(baseUrl).stream(
        { model: "m", messages: [] },
        context(controller.signal),
      )) {
        parts.push(part);
        controller.abort(reason);
      }
    } catch (error) {
      caught = error;
    }
    expect(parts.length).toBeGreaterThan(0);
    expect(caught).toBe(reason);
  });

  it("embeds, lists models and health-checks with GET /models", async () => {
    const { baseUrl, seen } = await replay({
      "POST /v1/embeddings": { body: fixtureBytes("embeddings.json") },
      "GET /v1/models": { body: fixtureBytes("models.json") },
    });
    const openai = provider(baseUrl);
    const embeddings = await openai.embed?.(
      { model: "text-embedding-3-small", input: ["a", "b"] },
      context(),
    );
    expect(embeddings?.embeddings).toHaveLength(2);
    expect(seen[0]?.body).toEqual({
      model: "text-embedding-3-small",
      input: ["a", "b"],
      encoding_format: "float",
    });
    const models = await openai.listModels?.(context());
    expect(models?.map((model) => model.id)).toEqual(["model-id-0", "model-id-1", "model-id-2"]);
    await expect(openai.healthCheck(context())).resolves.toEqual({ status: 200 });
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/v1/models" });
  });

  it("fails the health check on a 401", async () => {
    const { baseUrl } = await replay({
      "GET /v1/models": { status: 401, body: fixtureBytes("error-invalid-api-key.json") },
    });
    const error = await rejectionOf(provider(baseUrl).healthCheck(context()), isProviderError);
    expect(error.kind).toBe("auth");
  });

  it("requires an API key", () => {
    expect(() => createOpenAIProvider({ apiKey: "" })).toThrow(/apiKey/);
  });
});
