import type { ChatMessage, ChatRequest, ResponseFormat } from "../../llm/chat.js";
import { responsesPart, responsesToolOutput } from "./map-content.js";
import { applyResponsesReasoning, type ReasoningSupport, reasoningItems } from "./map-reasoning.js";
import { mapResponseFormat } from "./map-request.js";

/**
 * Unified ChatRequest -> the body of `POST /responses` (the Responses API as an upstream). System
 * messages become `developer` input messages, assistant tool calls `function_call` items, tool
 * messages `function_call_output` items. `store: false` unless the request's provider options say
 * otherwise: the gateway keeps conversation state itself. `reasoning` becomes `reasoning.effort` and
 * `summary` (asking for the encrypted reasoning back, to replay it later), Responses-origin reasoning
 * in history becomes `reasoning` items; `reasoning_effort` in the provider options becomes
 * `reasoning.effort` too; other provider options are merged into the body as they are. Pure.
 */
export function mapResponsesRequest(
  request: ChatRequest,
  options: { stream: boolean; providerOptionsKeys: string[]; reasoning?: ReasoningSupport },
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    input: request.messages.flatMap(mapItem),
    store: false,
  };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters,
      strict: tool.strict ?? false,
    }));
  }
  if (request.toolChoice !== undefined) {
    body.tool_choice =
      typeof request.toolChoice === "string"
        ? request.toolChoice
        : { type: "function", name: request.toolChoice.name };
  }
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.responseFormat !== undefined) {
    body.text = { format: mapFormat(request.responseFormat) };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens;
  if (request.user !== undefined) body.user = request.user;
  applyResponsesReasoning(body, request, options.reasoning);
  if (options.stream) body.stream = true;
  for (const key of options.providerOptionsKeys) {
    const extra = request.providerOptions?.[key];
    if (extra === undefined) continue;
    // Chat Completions names of two Responses settings (what a Responses client's body parses to).
    const { reasoning_effort: effort, verbosity, ...rest } = extra;
    if (typeof effort === "string") body.reasoning = { ...(body.reasoning ?? {}), effort };
    if (typeof verbosity === "string") body.text = { ...(body.text ?? {}), verbosity };
    Object.assign(body, rest);
  }
  return body;
}

function mapItem(message: ChatMessage): Record<string, unknown>[] {
  switch (message.role) {
    case "system":
      return [{ type: "message", role: "developer", content: message.content }];
    case "user":
      return [
        {
          type: "message",
          role: "user",
          content:
            typeof message.content === "string"
              ? message.content
              : message.content.map((part) => responsesPart(part, "openai")),
        },
      ];
    case "assistant": {
      const items: Record<string, unknown>[] = reasoningItems(message.reasoning);
      if (message.content) {
        items.push({
          type: "message",
          role: "assistant",
          content: [{ type: "output_text", text: message.content, annotations: [] }],
        });
      }
      for (const call of message.toolCalls ?? []) {
        items.push({
          type: "function_call",
          call_id: call.id,
          name: call.name,
          arguments: call.arguments,
        });
      }
      return items;
    }
    case "tool":
      return [responsesToolOutput(message, "openai")];
  }
}

/** Chat Completions' `response_format`, flattened as the Responses API's `text.format` wants it. */
function mapFormat(format: ResponseFormat): Record<string, unknown> {
  const chat = mapResponseFormat(format);
  const { json_schema: schema, ...rest } = chat;
  return typeof schema === "object" && schema !== null ? { ...rest, ...schema } : rest;
}
