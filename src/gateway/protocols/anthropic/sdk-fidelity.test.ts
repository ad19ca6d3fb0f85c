/**
 * Fidelity: a tiny node:http server serves what these modules render, and the vendor's official SDK
 * (maxRetries 0) is the client. The server also parses what the SDK sends, so both directions are
 * checked against the real serializer and parser.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../../../errors/all-providers-unavailable-error.js";
import { ProviderError } from "../../../errors/provider-error.js";
import { StreamInterruptedError } from "../../../errors/stream-interrupted-error.js";
import type { ChatResult } from "../../../llm/chat.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { describeError } from "../../error-response.js";
import { invalidVirtualKeyError, unknownModelError } from "../gateway-request-error.js";
import { createMessagesStreamEncoder } from "./messages-stream-encoder.js";
import { type ParsedMessagesRequest, parseMessagesRequest } from "./parse-messages-request.js";
import { renderError } from "./render-error.js";
import { renderMessagesResponse } from "./render-messages-response.js";

interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** The body; written in small byte slices so SSE frames and UTF-8 characters split. */
  body: string;
}

let handler: (path: string, body: unknown) => Reply = () => ({ status: 500, body: "{}" });
let server: Server;
let client: Anthropic;

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
        response.writeHead(reply.status, {
          "content-type": reply.body.startsWith("event:")
            ? "text/event-stream"
            : "application/json",
          ...reply.headers,
        });
        const bytes = Buffer.from(reply.body, "utf8");
        for (let offset = 0; offset < bytes.length; offset += 5) {
          response.write(bytes.subarray(offset, offset + 5));
        }
        response.end();
      })
      .catch((error: unknown) => {
        response.writeHead(599).end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({
    apiKey: "sk-ant-test",
    baseURL: `http://127.0.0.1:${port}`,
    maxRetries: 0,
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function parsed(body: unknown): ParsedMessagesRequest {
  const result = parseMessagesRequest(body);
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

function streamReply(parts: ChatStreamPart[], failWith?: unknown): Reply {
  const encoder = createMessagesStreamEncoder({ model: "claude-via-gateway" });
  let body = "";
  for (const part of parts) {
    body += encoder.encode(part);
    if (body !== "") body += encoder.ping();
  }
  body += failWith === undefined ? encoder.end() : encoder.fail(failWith);
  return { status: 200, body };
}

const weatherTool = {
  name: "get_weather",
  description: "Get the current weather in a given location",
  input_schema: {
    type: "object" as const,
    properties: { location: { type: "string", description: "The city and state" } },
    required: ["location"],
  },
};

/** What an upstream of the other format produces: finish before usage, a numbered tool call. */
const streamParts: ChatStreamPart[] = [
  { type: "response-metadata", id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", model: "gpt-4o" },
  { type: "text-delta", text: "Ça va? " },
  { type: "text-delta", text: "Let me check 🌦." },
  { type: "tool-call-delta", index: 0, id: "call_1", name: "get_weather", argumentsDelta: "" },
  { type: "tool-call-delta", index: 0, argumentsDelta: '{"location": "San' },
  { type: "tool-call-delta", index: 0, argumentsDelta: ' Francisco, CA"}' },
  { type: "finish", finishReason: "tool_calls", rawFinishReason: "tool_calls" },
  {
    type: "usage",
    usage: { inputTokens: 400, outputTokens: 42, cachedInputTokens: 100, totalTokens: 442 },
  },
];

describe("messages through the official SDK", () => {
  it("non-streaming: the SDK's request parses and the rendered message reads back", async () => {
    let seen: ParsedMessagesRequest | undefined;
    const result: ChatResult = {
      id: "chatcmpl-abc",
      model: "gpt-4o",
      adapterType: "openai",
      text: "I'll check.",
      toolCalls: [
        { id: "call_9", name: "get_weather", arguments: '{"location":"San Francisco, CA"}' },
      ],
      finishReason: "tool_calls",
      rawFinishReason: "tool_calls",
      usage: { inputTokens: 300, outputTokens: 30, cachedInputTokens: 200, totalTokens: 330 },
    };
    handler = (path, body) => {
      expect(path).toBe("/v1/messages");
      seen = parsed(body);
      return {
        status: 200,
        body: JSON.stringify(renderMessagesResponse(result, { model: "smart" })),
      };
    };
    const message = await client.messages.create({
      model: "smart",
      max_tokens: 1024,
      system: "You are terse.",
      tools: [weatherTool],
      tool_choice: { type: "auto" },
      service_tier: "standard_only",
      metadata: { user_id: "user-7" },
      messages: [{ role: "user", content: "What's the weather like in San Francisco?" }],
    });
    expect(seen?.request).toMatchObject({
      model: "smart",
      maxTokens: 1024,
      user: "user-7",
      toolChoice: "auto",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "What's the weather like in San Francisco?" },
      ],
      providerOptions: { anthropic: { service_tier: "standard_only" } },
    });
    expect(message.id).toBe("msg_chatcmpl-abc");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "I'll check." },
      {
        type: "tool_use",
        id: "call_9",
        name: "get_weather",
        input: { location: "San Francisco, CA" },
      },
    ]);
    expect(message.usage).toMatchObject({
      input_tokens: 100,
      output_tokens: 30,
      cache_read_input_tokens: 200,
    });
  });

  it("streaming helper: text events and the final message match", async () => {
    handler = (_path, body) => {
      expect(parsed(body).stream).toBe(true);
      return streamReply(streamParts);
    };
    const stream = client.messages.stream({
      model: "smart",
      max_tokens: 1024,
      tools: [weatherTool],
      messages: [{ role: "user", content: "What's the weather like in San Francisco?" }],
    });
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(text).toBe("Ça va? Let me check 🌦.");
    expect(final.id).toBe("msg_chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
    expect(final.model).toBe("claude-via-gateway");
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content).toMatchObject([
      { type: "text", text: "Ça va? Let me check 🌦." },
      {
        type: "tool_use",
        id: "call_1",
        name: "get_weather",
        input: { location: "San Francisco, CA" },
      },
    ]);
    expect(final.usage).toMatchObject({
      input_tokens: 300,
      output_tokens: 42,
      cache_read_input_tokens: 100,
    });
  });

  it("raw streaming: events arrive in protocol order", async () => {
    handler = () => streamReply(streamParts);
    const stream = await client.messages.create({
      model: "smart",
      max_tokens: 64,
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(types.filter((type) => type === "content_block_start")).toHaveLength(2);
    expect(types.filter((type) => type === "content_block_stop")).toHaveLength(2);
  });

  it("an error event mid-stream makes the SDK throw instead of ending cleanly", async () => {
    handler = () =>
      streamReply(
        streamParts.slice(0, 2),
        new StreamInterruptedError("main", 2, new Error("connection reset")),
      );
    const stream = client.messages.stream({
      model: "smart",
      max_tokens: 64,
      messages: [{ role: "user", content: "hi" }],
    });
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain("interrupted after 2 chunk(s)");
    expect((error as APIError & { type: string | null }).type).toBe("api_error");
    expect(text).toBe("Ça va? ");
  });

  it("a missing max_tokens raises BadRequestError with the vendor's message", async () => {
    handler = (_path, body) => {
      const result = parseMessagesRequest(body);
      return result.ok ? { status: 200, body: "{}" } : errorReply(result.error);
    };
    const request = { model: "smart", messages: [{ role: "user", content: "hi" }] };
    const error = await client.messages
      .create(request as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain("max_tokens: Field required");
  });

  it.each([
    ["bad virtual key", invalidVirtualKeyError(), AuthenticationError, 401],
    ["unknown model", unknownModelError("claude-9"), NotFoundError, 404],
    [
      "rate limited",
      new ProviderError("slow down", { kind: "rate_limited", status: 429, retryAfterMs: 1000 }),
      RateLimitError,
      429,
    ],
    [
      "upstream auth",
      new ProviderError("invalid x-api-key", { kind: "auth", status: 401 }),
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
    const error = await client.messages
      .create({ model: "smart", max_tokens: 8, messages: [{ role: "user", content: "hi" }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as APIError).status).toBe(status);
  });
});
