/**
 * Fidelity of chat completions: the official SDK's requests parse and what we render (whole and
 * streamed) reads back through it. Setup in sdk-fidelity.test-helper.ts.
 */
import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../errors/provider-error.js";
import type { ChatResult } from "../../../llm/chat.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { createChatStreamEncoder } from "./chat-stream-encoder.js";
import { type ParsedChatRequest, parseChatRequest } from "./parse-chat-request.js";
import { renderChatResponse } from "./render-chat-response.js";
import { type Reply, useSdkServer } from "./sdk-fidelity.test-helper.js";

const sdk = useSdkServer();

function parsed(body: unknown): ParsedChatRequest {
  const result = parseChatRequest(body);
  if (!result.ok) throw result.error;
  return result.value;
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
    sdk.handler = (path, body) => {
      expect(path).toBe("/v1/chat/completions");
      seen = parsed(body);
      return { status: 200, body: JSON.stringify(renderChatResponse(result, { model: "smart" })) };
    };
    const completion = await sdk.client.chat.completions.create({
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
    sdk.handler = (_path, body) => {
      seen = parsed(body);
      return streamReply(streamParts, seen.includeUsage);
    };
    const stream = await sdk.client.chat.completions.create({
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
    sdk.handler = (_path, body) => streamReply(streamParts, parsed(body).includeUsage);
    const runner = sdk.client.chat.completions.stream({
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
    sdk.handler = () =>
      streamReply(
        [{ type: "text-delta", text: "partial" }],
        false,
        new ProviderError("upstream overloaded", {
          kind: "transient",
          provider: "main",
          status: 529,
        }),
      );
    const stream = await sdk.client.chat.completions.create({
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
});
