/**
 * Fidelity: a tiny node:http server serves what these modules render, and the vendor's official SDK
 * (maxRetries 0) is the client. The server also parses what the SDK sends, so both directions are
 * checked against the real serializer and parser.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../../../errors/all-providers-unavailable-error.js";
import { ProviderError } from "../../../errors/provider-error.js";
import type { ChatResult } from "../../../llm/chat.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { describeError } from "../../error-response.js";
import { invalidVirtualKeyError, unknownModelError } from "../gateway-request-error.js";
import { createChatStreamEncoder } from "./chat-stream-encoder.js";
import { type ParsedChatRequest, parseChatRequest } from "./parse-chat-request.js";
import { parseEmbeddingsRequest } from "./parse-embeddings-request.js";
import { renderChatResponse } from "./render-chat-response.js";
import { renderEmbeddingsResponse } from "./render-embeddings-response.js";
import { renderError } from "./render-error.js";
import { renderModels } from "./render-models.js";

interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** The body; written in small byte slices so SSE frames and UTF-8 characters split. */
  body: string;
}

let handler: (path: string, body: unknown) => Reply = () => ({ status: 500, body: "{}" });
let server: Server;
let client: OpenAI;

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    readJson(request)
      .then((body) => {
        const reply = handler(request.url ?? "", body);
        const sse = reply.body.startsWith("data:") || reply.body.startsWith(":");
        response.writeHead(reply.status, {
          "content-type": sse ? "text/event-stream" : "application/json",
          ...reply.headers,
        });
        const bytes = Buffer.from(reply.body, "utf8");
        for (let offset = 0; offset < bytes.length; offset += 7) {
          response.write(bytes.subarray(offset, offset + 7));
        }
        response.end();
      })
      .catch((error: unknown) => {
        response.writeHead(599).end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: "sk-test", baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function parsed(body: unknown): ParsedChatRequest {
  const result = parseChatRequest(body);
  if (!result.ok) throw result.error;
  return result.value;
}

function errorReply(error: unknown): Reply {
  const rendered = renderError(describeError(error));
  return {
    status: rendered.status,
    headers: rendered.headers,
    body: JSON.stringify(rendered.body),
  };
}

function streamReply(parts: ChatStreamPart[], includeUsage: boolean, failWith?: unknown): Reply {
  const encoder = createChatStreamEncoder({ includeUsage });
  let body = encoder.keepAlive();
  for (const part of parts) body += encoder.encode(part);
  body += failWith === undefined ? encoder.end() : encoder.fail(failWith);
  return { status: 200, body };
}

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_current_weather",
    description: "Get the current weather in a given location",
    parameters: {
      type: "object",
      properties: { location: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } },
      required: ["location"],
    },
  },
};

const result: ChatResult = {
  id: "msg_01XFDUDYJgAACzvnptvVoYEL",
  model: "claude-sonnet-4",
  adapterType: "anthropic",
  text: "Let me look that up.",
  toolCalls: [
    { id: "toolu_01", name: "get_current_weather", arguments: '{"location":"Boston, MA"}' },
  ],
  finishReason: "tool_calls",
  rawFinishReason: "tool_use",
  usage: { inputTokens: 82, outputTokens: 17, cachedInputTokens: 64, totalTokens: 99 },
};

describe("chat completions through the official SDK", () => {
  it("non-streaming: the SDK's request parses and the rendered completion reads back", async () => {
    let seen: ParsedChatRequest | undefined;
    handler = (path, body) => {
      expect(path).toBe("/v1/chat/completions");
      seen = parsed(body);
      return { status: 200, body: JSON.stringify(renderChatResponse(result, { model: "smart" })) };
    };
    const completion = await client.chat.completions.create({
      model: "smart",
      messages: [
        { role: "developer", content: "You are terse." },
        { role: "user", content: "What is the weather like in Boston today?" },
      ],
      tools: [weatherTool],
      tool_choice: "auto",
      max_completion_tokens: 200,
      stop: ["END"],
      service_tier: "flex",
    });
    expect(seen?.request).toMatchObject({
      model: "smart",
      maxTokens: 200,
      stop: ["END"],
      toolChoice: "auto",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "What is the weather like in Boston today?" },
      ],
      providerOptions: { openai: { service_tier: "flex" } },
    });
    expect(completion.id).toBe("chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(completion.model).toBe("smart");
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("Let me look that up.");
    expect(choice?.message.tool_calls?.[0]).toEqual({
      id: "toolu_01",
      type: "function",
      function: { name: "get_current_weather", arguments: '{"location":"Boston, MA"}' },
    });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
  });

  const streamParts: ChatStreamPart[] = [
    { type: "response-metadata", id: "resp_1", model: "gemini-2.5-flash" },
    { type: "text-delta", text: "Héllo, " },
    { type: "text-delta", text: "wörld 😀. " },
    {
      type: "tool-call-delta",
      index: 0,
      id: "call_a",
      name: "get_current_weather",
      argumentsDelta: "",
    },
    { type: "tool-call-delta", index: 0, argumentsDelta: '{"location":' },
    { type: "tool-call-delta", index: 0, argumentsDelta: '"Paris"}' },
    {
      type: "tool-call-delta",
      index: 1,
      id: "call_b",
      name: "get_time",
      argumentsDelta: '{"tz":"CET"}',
    },
    { type: "finish", finishReason: "tool_calls", rawFinishReason: "STOP" },
    {
      type: "usage",
      usage: { inputTokens: 10, outputTokens: 20, cachedInputTokens: 0, totalTokens: 30 },
    },
  ];

  it("streaming: raw chunks accumulate to the same text, with the usage chunk last", async () => {
    let seen: ParsedChatRequest | undefined;
    handler = (_path, body) => {
      seen = parsed(body);
      return streamReply(streamParts, seen.includeUsage);
    };
    const stream = await client.chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const ids = new Set<string>();
    let usageChunks = 0;
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) {
        usageChunks++;
        expect(chunk.choices).toEqual([]);
        expect(chunk.usage.total_tokens).toBe(30);
      }
    }
    expect(seen).toMatchObject({ stream: true, includeUsage: true });
    expect(text).toBe("Héllo, wörld 😀. ");
    expect(ids.size).toBe(1);
    expect(usageChunks).toBe(1);
  });

  it("streaming helper: the SDK's strict accumulator builds the final completion", async () => {
    handler = (_path, body) => streamReply(streamParts, parsed(body).includeUsage);
    const runner = client.chat.completions.stream({
      model: "fast",
      messages: [{ role: "user", content: "hi" }],
      tools: [weatherTool],
    });
    const final = await runner.finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message?.content).toBe("Héllo, wörld 😀. ");
    expect(message?.role).toBe("assistant");
    expect(
      message?.tool_calls?.map((call) =>
        call.type === "function" ? [call.id, call.function.name, call.function.arguments] : [],
      ),
    ).toEqual([
      ["call_a", "get_current_weather", '{"location":"Paris"}'],
      ["call_b", "get_time", '{"tz":"CET"}'],
    ]);
    expect(final.usage).toBeUndefined();
  });

  it("an error event mid-stream makes the SDK throw instead of ending cleanly", async () => {
    handler = () =>
      streamReply(
        [{ type: "text-delta", text: "partial" }],
        false,
        new ProviderError("upstream overloaded", {
          kind: "transient",
          provider: "main",
          status: 529,
        }),
      );
    const stream = await client.chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    let text = "";
    const consume = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    };
    const error = await consume().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain("upstream overloaded");
    expect((error as APIError).code).toBe("upstream_error");
    expect(text).toBe("partial");
  });

  it("a validation error from the SDK's own request raises BadRequestError with param", async () => {
    handler = (_path, body) => {
      const result = parseChatRequest(body);
      return result.ok ? { status: 200, body: "{}" } : errorReply(result.error);
    };
    const error = await client.chat.completions
      .create({ model: "smart", messages: [{ role: "user", content: "hi" }], n: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe("n");
    expect((error as BadRequestError).type).toBe("invalid_request_error");
  });

  it.each([
    ["bad virtual key", invalidVirtualKeyError(), AuthenticationError, 401],
    ["unknown model", unknownModelError("gpt-9"), NotFoundError, 404],
    [
      "all rate limited",
      new AllProvidersUnavailableError(
        [
          {
            outcome: "failure",
            targetId: "a",
            attempt: 1,
            startedAfterMs: 0,
            latencyMs: 5,
            hedge: false,
            kind: "rate_limited",
            status: 429,
            message: "slow down",
            error: undefined,
          },
        ],
        1200,
      ),
      RateLimitError,
      429,
    ],
    [
      "upstream auth",
      new ProviderError("bad key", { kind: "auth", status: 401 }),
      InternalServerError,
      502,
    ],
    [
      "circuits open",
      new AllProvidersUnavailableError(
        [
          {
            outcome: "skipped",
            targetId: "a",
            startedAfterMs: 0,
            reason: "circuit_open",
            availableInMs: 50,
          },
        ],
        50,
      ),
      InternalServerError,
      503,
    ],
    ["internal", new Error("boom"), InternalServerError, 500],
  ])("%s -> the SDK's error class", async (_name, thrown, errorClass, status) => {
    handler = () => errorReply(thrown);
    const error = await client.chat.completions
      .create({ model: "smart", messages: [{ role: "user", content: "hi" }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as APIError).status).toBe(status);
    if (status === 502) expect((error as APIError).message).not.toContain("bad key");
  });
});

describe("embeddings and models through the official SDK", () => {
  it("the SDK's default base64 request decodes our little-endian float32 bytes", async () => {
    const vectors = [
      [0.1, -0.25, 3.5],
      [1e-8, 42, -0],
    ];
    handler = (path, body) => {
      expect(path).toBe("/v1/embeddings");
      const result = parseEmbeddingsRequest(body);
      if (!result.ok) return errorReply(result.error);
      expect(result.value.encodingFormat).toBe("base64");
      expect(result.value.request.input).toEqual(["first", "second"]);
      const rendered = renderEmbeddingsResponse(
        {
          model: "emb",
          adapterType: "x",
          embeddings: vectors,
          usage: { inputTokens: 2, totalTokens: 2 },
        },
        { encodingFormat: result.value.encodingFormat },
      );
      return { status: 200, body: JSON.stringify(rendered) };
    };
    const response = await client.embeddings.create({ model: "emb", input: ["first", "second"] });
    expect(response.data.map((item) => item.embedding)).toEqual(
      vectors.map((vector) => vector.map((value) => Math.fround(value))),
    );
    expect(response.usage.prompt_tokens).toBe(2);
  });

  it("token-array input gets a BadRequestError", async () => {
    handler = (_path, body) => {
      const result = parseEmbeddingsRequest(body);
      return result.ok ? { status: 200, body: "{}" } : errorReply(result.error);
    };
    const error = await client.embeddings
      .create({ model: "emb", input: [1, 2, 3], encoding_format: "float" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain("token arrays");
  });

  it("the models list pages through", async () => {
    handler = (path) => {
      expect(path).toBe("/v1/models");
      return {
        status: 200,
        body: JSON.stringify(
          renderModels([
            { id: "fast", ownedBy: undefined },
            { id: "smart", ownedBy: "acme" },
          ]),
        ),
      };
    };
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["fast", "smart"]);
  });
});
