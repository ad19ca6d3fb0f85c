// A provider type of one's own, loaded without forking Switchyard:
//
//   providers:
//     - name: echo
//       type: module
//       module: ./examples/custom-provider/echo-provider.ts   # relative to the config file
//       options: { prefix: "echo: " }
//
// The module default-exports a factory `(options, context) => LlmProvider`; the gateway calls it
// once per key (once when the provider has none). Here the "vendor" answers with the last user
// message, prefixed, and fails with a classified ProviderError when asked to.

import { ProviderError } from "../../src/errors/index.js";
import type { ChatRequest, ChatResult, ChatStreamPart, LlmProvider } from "../../src/llm/index.js";
import type { LlmProviderFactory } from "../../src/providers/index.js";

function lastUserText(request: ChatRequest): string {
  const message = request.messages.findLast((entry) => entry.role === "user");
  if (message === undefined || message.role !== "user") return "";
  return typeof message.content === "string"
    ? message.content
    : message.content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

const createEchoProvider: LlmProviderFactory = (options, context): LlmProvider => {
  const prefix = typeof options.prefix === "string" ? options.prefix : "";
  const answer = (request: ChatRequest): ChatResult => {
    const text = lastUserText(request);
    if (text.includes("fail")) {
      throw new ProviderError(`${context.name} was asked to fail`, {
        kind: "transient",
        provider: context.name,
        status: 503,
      });
    }
    const reply = `${prefix}${text}`;
    return {
      id: `echo-${Date.now()}`,
      model: request.model,
      adapterType: "echo",
      text: reply,
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: {
        inputTokens: text.length,
        outputTokens: reply.length,
        cachedInputTokens: 0,
        totalTokens: text.length + reply.length,
      },
    };
  };
  return {
    type: "echo",
    async generate(request) {
      return answer(request);
    },
    async *stream(request): AsyncGenerator<ChatStreamPart> {
      const result = answer(request);
      yield { type: "response-metadata", id: result.id, model: result.model };
      yield { type: "text-delta", text: result.text };
      if (result.usage !== undefined) yield { type: "usage", usage: result.usage };
      yield { type: "finish", finishReason: "stop", rawFinishReason: "stop" };
    },
    async healthCheck() {
      return { ok: true };
    },
    async close() {},
  };
};

export default createEchoProvider;
