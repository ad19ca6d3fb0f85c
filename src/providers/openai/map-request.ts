import type { ChatMessage, ChatRequest, ResponseFormat, ToolChoice } from "../../llm/chat.js";
import type { EmbeddingsRequest } from "../../llm/embeddings.js";
import { chatMessages, chatPart, toolResultText } from "./map-content.js";
import {
  type ReasoningSupport,
  reasoningContentOf,
  reasoningEffortOf,
  supportsReasoning,
} from "./map-reasoning.js";

/** How a chat body is shaped for one OpenAI-format server. */
export interface RequestMappingOptions {
  stream: boolean;
  /**
   * The field for `maxTokens`. OpenAI's current reference deprecates `max_tokens` in favour of
   * `max_completion_tokens` (reasoning models reject `max_tokens`); many compatible servers only
   * know `max_tokens`.
   */
  maxTokensField: "max_completion_tokens" | "max_tokens";
  /** Ask for a final usage chunk in streams (`stream_options.include_usage`). */
  includeStreamUsage: boolean;
  /** `providerOptions` namespaces merged into the body, later ones winning. */
  providerOptionsKeys: string[];
  /**
   * Whether the server takes `reasoning_effort`: false when the provider declares it unsupported; a
   * function of the model for OpenAI itself (`takesReasoningEffort`).
   */
  reasoningEffort?: ReasoningSupport;
}

/** Unified ChatRequest -> the body of `POST /chat/completions`. Pure. */
export function mapChatRequest(
  request: ChatRequest,
  options: RequestMappingOptions,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: chatMessages(request.messages, mapMessage, "openai"),
  };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
        ...(tool.strict === undefined ? {} : { strict: tool.strict }),
      },
    }));
  }
  if (request.toolChoice !== undefined) body.tool_choice = mapToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) {
    body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.responseFormat !== undefined) {
    body.response_format = mapResponseFormat(request.responseFormat);
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body[options.maxTokensField] = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.user !== undefined) body.user = request.user;
  const effort = supportsReasoning(options.reasoningEffort, request.model)
    ? reasoningEffortOf(request)
    : undefined;
  if (effort !== undefined) body.reasoning_effort = effort;
  if (options.stream) {
    body.stream = true;
    if (options.includeStreamUsage) body.stream_options = { include_usage: true };
  }
  return mergeProviderOptions(body, request.providerOptions, options.providerOptionsKeys);
}

/** Unified EmbeddingsRequest -> the body of `POST /embeddings`. Pure. */
export function mapEmbeddingsRequest(
  request: EmbeddingsRequest,
  providerOptionsKeys: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    input: request.input,
    encoding_format: "float",
  };
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  if (request.user !== undefined) body.user = request.user;
  return mergeProviderOptions(body, request.providerOptions, providerOptionsKeys);
}

function mergeProviderOptions(
  body: Record<string, unknown>,
  providerOptions: Record<string, Record<string, unknown>> | undefined,
  keys: string[],
): Record<string, unknown> {
  if (providerOptions === undefined) return body;
  for (const key of keys) {
    const extra = providerOptions[key];
    if (extra !== undefined) Object.assign(body, extra);
  }
  return body;
}

function mapMessage(message: ChatMessage): Record<string, unknown> {
  switch (message.role) {
    case "system":
      return { role: "system", content: message.content };
    case "user":
      return {
        role: "user",
        content:
          typeof message.content === "string"
            ? message.content
            : message.content.map((part) => chatPart(part, "openai")),
      };
    case "assistant": {
      const toolCalls = message.toolCalls ?? [];
      const reasoning = reasoningContentOf(message.reasoning);
      const extra = reasoning === undefined ? {} : { reasoning_content: reasoning };
      if (toolCalls.length === 0) {
        return { role: "assistant", content: message.content ?? "", ...extra };
      }
      return {
        role: "assistant",
        content: message.content,
        ...extra,
        tool_calls: toolCalls.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
    case "tool":
      return { role: "tool", tool_call_id: message.toolCallId, content: toolResultText(message) };
  }
}

function mapToolChoice(choice: ToolChoice): unknown {
  if (typeof choice === "string") return choice;
  return { type: "function", function: { name: choice.name } };
}

export function mapResponseFormat(format: ResponseFormat): Record<string, unknown> {
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json":
      return { type: "json_object" };
    case "json_schema":
      return {
        type: "json_schema",
        json_schema: {
          name: format.name,
          schema: format.schema,
          ...(format.description === undefined ? {} : { description: format.description }),
          ...(format.strict === undefined ? {} : { strict: format.strict }),
        },
      };
  }
}
