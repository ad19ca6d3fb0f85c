/**
 * A Messages API request body -> the unified `ChatRequest` and the `stream` flag. Validation errors
 * read like the vendor's ("max_tokens: Field required"); `max_tokens` is required, as there.
 *
 * Mapping notes:
 * - `system` (a string or text blocks) becomes the first message(s).
 * - A user message's `tool_result` blocks become `tool` messages, in order, around the user's other
 *   blocks; each gets the `name` of the `tool_use` it answers when known. Content blocks, documents,
 *   tool results and cache breakpoints: see parse-content-blocks.ts.
 * - An assistant's `tool_use` blocks become tool calls with `input` serialised as JSON text; its
 *   `thinking` / `redacted_thinking` blocks become its `reasoning` (`toReasoningPart`).
 * - `thinking` (with adaptive thinking's `output_config.effort`) -> `reasoning`.
 * - `tool_choice` `any` -> `required`; `disable_parallel_tool_use: true` -> `parallelToolCalls: false`.
 * - `metadata.user_id` -> `user`.
 * - Server tools (a `type` other than `custom`) are a 400.
 * - Unknown top-level fields (`top_k`, `output_config`, `service_tier`, ...) are kept verbatim in
 *   `providerOptions[ANTHROPIC_EXTRAS_KEY]` (`"anthropic"`): an upstream of this format merges them,
 *   the others ignore them.
 */
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  ReasoningPart,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from "../../../llm/chat.js";
import {
  GatewayRequestError,
  invalidJsonBodyError,
  type ParseResult,
} from "../gateway-request-error.js";
import { parseReportingInput } from "../parse-reporting-input.js";
import {
  KNOWN_MESSAGES_KEYS,
  type MessagesContentBlock,
  type MessagesRequestBody,
  type MessagesRequestMessage,
  messagesRequestSchema,
} from "./messages-request-schema.js";
import {
  toSystemMessages,
  toToolMessage,
  toUserPart,
  withToolCacheControl,
} from "./parse-content-blocks.js";
import { toReasoningPart, toReasoningRequest } from "./parse-messages-reasoning.js";
import { invalidParam, requestErrorFromIssue } from "./request-error-from-issue.js";

/** The `providerOptions` key that carries unknown top-level request fields. */
export const ANTHROPIC_EXTRAS_KEY = "anthropic";

export interface ParsedMessagesRequest {
  request: ChatRequest;
  stream: boolean;
}

export function parseMessagesRequest(body: unknown): ParseResult<ParsedMessagesRequest> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, error: invalidJsonBodyError("expected an object") };
  }
  const parsed = parseReportingInput(messagesRequestSchema, body);
  if (!parsed.success) return { ok: false, error: requestErrorFromIssue(parsed.error.issues[0]) };
  try {
    const request = toChatRequest(parsed.data, body as Record<string, unknown>);
    return { ok: true, value: { request, stream: parsed.data.stream === true } };
  } catch (error) {
    if (error instanceof GatewayRequestError) return { ok: false, error };
    throw error;
  }
}

function toChatRequest(body: MessagesRequestBody, raw: Record<string, unknown>): ChatRequest {
  const messages: ChatMessage[] = toSystemMessages(body.system);
  const toolNames = new Map<string, string>();
  body.messages.forEach((message, index) => {
    appendMessage(messages, message, index, toolNames);
  });

  const request: ChatRequest = { model: body.model, messages, maxTokens: body.max_tokens };
  if (body.tools && body.tools.length > 0) request.tools = body.tools.map(toToolDefinition);
  if (body.tool_choice) {
    request.toolChoice = toToolChoice(body.tool_choice);
    if ("disable_parallel_tool_use" in body.tool_choice) {
      if (body.tool_choice.disable_parallel_tool_use === true) request.parallelToolCalls = false;
    }
  }
  if (typeof body.temperature === "number") request.temperature = body.temperature;
  if (typeof body.top_p === "number") request.topP = body.top_p;
  if (body.stop_sequences && body.stop_sequences.length > 0) request.stop = body.stop_sequences;
  if (typeof body.metadata?.user_id === "string") request.user = body.metadata.user_id;
  const reasoning = toReasoningRequest(body.thinking, raw);
  if (reasoning !== undefined) request.reasoning = reasoning;

  let extras: Record<string, unknown> | undefined;
  for (const key of Object.keys(raw)) {
    if (KNOWN_MESSAGES_KEYS.has(key)) continue;
    extras ??= {};
    extras[key] = raw[key];
  }
  if (extras !== undefined) request.providerOptions = { [ANTHROPIC_EXTRAS_KEY]: extras };
  return request;
}

function appendMessage(
  out: ChatMessage[],
  message: MessagesRequestMessage,
  index: number,
  toolNames: Map<string, string>,
): void {
  if (typeof message.content === "string") {
    out.push({ role: message.role, content: message.content });
    return;
  }
  if (message.role === "assistant") {
    out.push(toAssistantMessage(message.content, index, toolNames));
    return;
  }
  let parts: ContentPart[] = [];
  const flush = (): void => {
    if (parts.length === 0) return;
    const only = parts.length === 1 ? parts[0] : undefined;
    const plain = only?.type === "text" && only.cacheControl === undefined;
    out.push({ role: "user", content: plain ? only.text : parts });
    parts = [];
  };
  message.content.forEach((block, blockIndex) => {
    const path = `messages.${index}.content.${blockIndex}`;
    switch (block.type) {
      case "text":
      case "image":
      case "document":
        parts.push(toUserPart(block, path));
        break;
      case "tool_result":
        flush();
        out.push(toToolMessage(block, path, toolNames));
        break;
      default:
        throw invalidParam(
          `${path}.type`,
          `'${block.type}' blocks are only allowed in assistant messages`,
        );
    }
  });
  if (message.content.length === 0) out.push({ role: "user", content: "" });
  flush();
}

function toAssistantMessage(
  blocks: MessagesContentBlock[],
  index: number,
  toolNames: Map<string, string>,
): ChatMessage {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  blocks.forEach((block, blockIndex) => {
    switch (block.type) {
      case "text":
        texts.push(block.text);
        break;
      case "tool_use":
        toolNames.set(block.id, block.name);
        toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input) });
        break;
      case "thinking":
      case "redacted_thinking":
        reasoning.push(toReasoningPart(block));
        break;
      default:
        throw invalidParam(
          `messages.${index}.content.${blockIndex}.type`,
          `'${block.type}' blocks are only allowed in user messages`,
        );
    }
  });
  const message: ChatMessage = {
    role: "assistant",
    content: texts.length > 0 ? texts.join("\n") : toolCalls.length > 0 ? null : "",
  };
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (reasoning.length > 0) message.reasoning = reasoning;
  return message;
}

function toToolDefinition(
  tool: NonNullable<MessagesRequestBody["tools"]>[number],
  index: number,
): ToolDefinition {
  if (tool.type !== undefined && tool.type !== null && tool.type !== "custom") {
    throw invalidParam(
      `tools.${index}.type`,
      `server tool '${tool.type}' is not supported by this gateway; only client tools with an input_schema are`,
    );
  }
  if (tool.input_schema === undefined || tool.input_schema === null) {
    throw new GatewayRequestError(`tools.${index}.input_schema: Field required`, {
      status: 400,
      param: `tools.${index}.input_schema`,
      code: "missing_required_parameter",
    });
  }
  const definition: ToolDefinition = { name: tool.name, parameters: tool.input_schema };
  if (typeof tool.description === "string") definition.description = tool.description;
  return withToolCacheControl(definition, tool);
}

function toToolChoice(choice: NonNullable<MessagesRequestBody["tool_choice"]>): ToolChoice {
  switch (choice.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { name: choice.name };
  }
}
