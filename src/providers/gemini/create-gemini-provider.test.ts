import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderContext } from "../../engine/provider.js";
import { isProviderError } from "../../errors/provider-error.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { createGeminiProvider } from "./create-gemini-provider.js";

const API_KEY = "AIzaSyTEST-key-0123456789abcdefghijklmn";

function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (request: Recorded, response: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let recorded: Recorded[];
let provider: LlmProvider;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      recorded.push(entry);
      handler(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1beta`;
  provider = createGeminiProvider({ apiKey: API_KEY, baseUrl, name: "gem", now: () => 0 });
});

afterAll(async () => {
  await provider.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  recorded = [];
  handler = (_request, response) => response.writeHead(500).end();
});

function context(signal = new AbortController().signal): ProviderContext {
  return { signal, attempt: 1, targetId: "gem" };
}

function replyJson(status: number, name: string, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
    response.end(fixture(name));
  };
}

/** Replays an .sse fixture in two writes, the cut falling mid-event. */
function replySse(name: string): Handler {
  return (_request, response) => {
    const bytes = fixture(name);
    response.writeHead(200, { "content-type": "text/event-stream" });
    const cut = Math.floor(bytes.length / 2);
    response.write(bytes.subarray(0, cut));
    setTimeout(() => response.end(bytes.subarray(cut)), 20);
  };
}

async function collect(stream: AsyncIterable<ChatStreamPart>) {
  const parts: ChatStreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
  } catch (error) {
    return { parts, error };
  }
  return { parts, error: undefined };
}

const request = {
  model: "gemini-2.5-flash",
  messages: [
    { role: "system" as const, content: "Be brief." },
    { role: "user" as const, content: "Hi" },
  ],
  temperature: 0.3,
};

describe("createGeminiProvider", () => {
  it("has type gemini", () => {
    expect(provider.type).toBe("gemini");
  });

  it("generates: POSTs to :generateContent with the API key header and maps the answer", async () => {
    handler = replyJson(200, "generate-text.json");
    const result = await provider.generate(request, context());
    expect(result.text).toBe("Hello! How can I help you today?");
    expect(result.id).toBe("7yEiaZ2pFKOmz7IPg8Sv0Ac");
    const [sent] = recorded;
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(sent?.headers["x-goog-api-key"]).toBe(API_KEY);
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      contents: [{ role: "user", parts: [{ text: "Hi" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { temperature: 0.3 },
    });
  });

  it("streams from :streamGenerateContent?alt=sse", async () => {
    handler = replySse("stream-function-call.sse");
    const { parts, error } = await collect(provider.stream(request, context()));
    expect(error).toBeUndefined();
    expect(recorded[0]?.url).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(parts.map((part) => part.type)).toEqual([
      "response-metadata",
      "text-delta",
      "reasoning-delta",
      "tool-call-delta",
      "tool-call-delta",
      "usage",
      "finish",
    ]);
  });

  it("throws a stream cut short as transient after the parts it delivered", async () => {
    handler = replySse("stream-truncated.sse");
    const { parts, error } = await collect(provider.stream(request, context()));
    expect(parts.length).toBe(3);
    expect(isProviderError(error) && [error.kind, error.provider]).toEqual(["transient", "gem"]);
  });

  it("throws a 429 before the stream starts as rate_limited with the RetryInfo wait", async () => {
    handler = replyJson(429, "error-429-per-minute.json");
    const { parts, error } = await collect(provider.stream(request, context()));
    expect(parts).toEqual([]);
    expect(isProviderError(error) && [error.kind, error.status, error.retryAfterMs]).toEqual([
      "rate_limited",
      429,
      23_000,
    ]);
  });

  it("throws a per-day quota as quota_exhausted and honours a Retry-After header", async () => {
    handler = replyJson(429, "error-429-per-day.json", { "retry-after": "120" });
    const error = await provider.generate(request, context()).catch((caught: unknown) => caught);
    expect(isProviderError(error) && [error.kind, error.retryAfterMs]).toEqual([
      "quota_exhausted",
      120_000,
    ]);
  });

  it("throws a rejected key as auth without the key in the message", async () => {
    handler = replyJson(400, "error-400-api-key.json");
    const error = await provider.generate(request, context()).catch((caught: unknown) => caught);
    expect(isProviderError(error) && error.kind).toBe("auth");
    expect(String(error)).not.toContain(API_KEY);
  });

  it("throws an unknown model as not_found and a 503 as transient", async () => {
    handler = replyJson(404, "error-404.json");
    const missing = await provider.generate(request, context()).catch((caught: unknown) => caught);
    expect(isProviderError(missing) && missing.kind).toBe("not_found");
    handler = replyJson(503, "error-503.json");
    const busy = await provider.generate(request, context()).catch((caught: unknown) => caught);
    expect(isProviderError(busy) && busy.kind).toBe("transient");
  });

  it("embeds through :batchEmbedContents", async () => {
    handler = replyJson(200, "embed.json");
    const result = await provider.embed?.(
      {
        model: "gemini-embedding-001",
        input: ["first", "second"],
        dimensions: 4,
        providerOptions: { gemini: { taskType: "RETRIEVAL_DOCUMENT" } },
      },
      context(),
    );
    expect(recorded[0]?.url).toBe("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    expect(JSON.parse(recorded[0]?.body ?? "")).toEqual({
      requests: ["first", "second"].map((text) => ({
        model: "models/gemini-embedding-001",
        content: { parts: [{ text }] },
        outputDimensionality: 4,
        taskType: "RETRIEVAL_DOCUMENT",
      })),
    });
    expect(result).toEqual({
      model: "gemini-embedding-001",
      adapterType: "gemini",
      embeddings: [
        [0.0123, -0.0456, 0.0789, 0.0012],
        [-0.0222, 0.0333, -0.0444, 0.0555],
      ],
      usage: undefined,
    });
  });

  it("throws transient when the embeddings do not match the inputs", async () => {
    handler = replyJson(200, "embed.json");
    const error = await provider
      .embed?.({ model: "gemini-embedding-001", input: ["only one"] }, context())
      .catch((caught: unknown) => caught);
    expect(isProviderError(error) && error.kind).toBe("transient");
  });

  it("lists models across pages", async () => {
    handler = (entry, response) => {
      const name = entry.url.includes("pageToken=") ? "models-page-2.json" : "models.json";
      replyJson(200, name)(entry, response);
    };
    const models = await provider.listModels?.(context());
    expect(models).toEqual([
      { id: "gemini-2.5-flash", ownedBy: "google" },
      { id: "gemini-embedding-001", ownedBy: "google" },
      { id: "gemini-2.5-pro", ownedBy: "google" },
    ]);
    expect(recorded.map((entry) => entry.url)).toEqual([
      "/v1beta/models?pageSize=1000",
      "/v1beta/models?pageSize=1000&pageToken=Ch5tb2RlbHMvZ2VtaW5pLWVtYmVkZGluZy0wMDE%3D",
    ]);
  });

  it("health-checks with GET /models?pageSize=1 and throws when the key is refused", async () => {
    handler = replyJson(200, "models-page-2.json");
    await expect(provider.healthCheck(context())).resolves.toEqual({ status: 200 });
    expect(recorded[0]?.method).toBe("GET");
    expect(recorded[0]?.url).toBe("/v1beta/models?pageSize=1");
    expect(recorded[0]?.headers["x-goog-api-key"]).toBe(API_KEY);
    handler = replyJson(403, "error-403.json");
    const error = await provider.healthCheck(context()).catch((caught: unknown) => caught);
    expect(isProviderError(error) && error.kind).toBe("auth");
  });

  it("rethrows the caller's abort reason", async () => {
    handler = () => {
      // Never answers: the abort must end the call.
    };
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const pending = provider.generate(request, context(controller.signal));
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });
});
