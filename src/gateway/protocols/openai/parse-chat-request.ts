/**
 * A Chat Completions request body -> the unified `ChatRequest`, plus the two streaming flags the
 * route needs. Validation errors name the parameter the way the vendor does (`param` plus message).
 *
 * Mapping notes:
 * - `developer` messages become `system`; text-part arrays of system/tool messages are joined with
 *   "\n"; an assistant's refusal parts count as text.
 * - Content parts (images, files, audio, cache breakpoints): see parse-content-parts.ts.
 * - A tool message gets the function `name` of the assistant tool call it answers, when known
 *   (some upstreams need it).
 * - `max_completion_tokens` wins over the legacy `max_tokens`; `stop` is always an array.
 * - `n` other than 1 is a 400: the gateway returns one choice.
 * - `reasoning_effort` -> `reasoning.effort`; an assistant's `reasoning_content` -> its `reasoning`
 *   (origin `openai-chat`: it replays only to OpenAI-format chat targets).
 * - Unknown top-level fields (`frequency_penalty`, `logit_bias`, `service_tier`,
 *   `functions`, ...) are kept verbatim in `providerOptions[OPENAI_EXTRAS_KEY]` (`"openai"`), so they
 *   reach an upstream of this format and are ignored by the others. The route decides whether an
 *   `openai-compatible` upstream should get them too (copy the object under that key).
 */
import type {
  ChatMessage,
  ChatRequest,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from "../../../llm/chat.js";
import {
  GatewayRequestError,
  invalidJsonBodyError,
  type ParseResult,
} from "../gateway-request-error.js";
import { parseReportingInput } from "../parse-reporting-input.js";
import { REASONING_ORIGIN } from "../reasoning-origin.js";
import {
  type ChatRequestBody,
  type ChatRequestMessage,
  chatRequestSchema,
  KNOWN_CHAT_KEYS,
} from "./chat-request-schema.js";
import { joinText, toSystemMessages, toToolParts, toUserContent } from "./parse-content-parts.js";
import { invalidParam, requestErrorFromIssue } from "./request-error-from-issue.js";

export { toImageSource } from "./parse-content-parts.js";

/** The `providerOptions` key that carries unknown top-level request fields. */
export const OPENAI_EXTRAS_KEY = "openai";

export interface ParsedChatRequest {
  request: ChatRequest;
  stream: boolean;
  /** `stream_options.include_usage`: send a usage chunk before `[DONE]`. */
  includeUsage: boolean;
}

export function parseChatRequest(body: unknown): ParseResult<ParsedChatRequest> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, error: invalidJsonBodyError("expected an object") };
  }
  const parsed = parseReportingInput(chatRequestSchema, body);
  if (!parsed.success) return { ok: false, error: requestErrorFromIssue(parsed.error.issues[0]) };
  try {
    return { ok: true, value: toParsedChatRequest(parsed.data, body as Record<string, unknown>) };
  } catch (error) {
    if (error instanceof GatewayRequestError) return { ok: false, error };
    throw error;
  }
}

function toParsedChatRequest(
  body: ChatRequestBody,
  raw: Record<string, unknown>,
): ParsedChatRequest {
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw invalidParam("n", `Invalid value for 'n': only n=1 is supported, got ${body.n}.`);
  }
  const request: ChatRequest = { model: body.model, messages: toMessages(body.messages) };
  if (body.tools && body.tools.length > 0) request.tools = body.tools.map(toToolDefinition);
  if (body.tool_choice) request.toolChoice = toToolChoice(body.tool_choice);
  if (typeof body.parallel_tool_calls === "boolean") {
    request.parallelToolCalls = body.parallel_tool_calls;
  }
  if (body.response_format) request.responseFormat = toResponseFormat(body.response_format);
  if (typeof body.temperature === "number") request.temperature = body.temperature;
  if (typeof body.top_p === "number") request.topP = body.top_p;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (typeof maxTokens === "number") request.maxTokens = maxTokens;
  if (typeof body.stop === "string") request.stop = [body.stop];
  else if (Array.isArray(body.stop) && body.stop.length > 0) request.stop = body.stop;
  if (typeof body.seed === "number") request.seed = body.seed;
  if (typeof body.user === "string") request.user = body.user;
  if (typeof body.reasoning_effort === "string") {
    request.reasoning = { effort: body.reasoning_effort };
  }

  let extras: Record<string, unknown> | undefined;
  for (const key of Object.keys(raw)) {
    if (KNOWN_CHAT_KEYS.has(key)) continue;
    extras ??= {};
    extras[key] = raw[key];
  }
  if (extras !== undefined) request.providerOptions = { [OPENAI_EXTRAS_KEY]: extras };

  const stream = body.stream === true;
  return { request, stream, includeUsage: stream && body.stream_options?.include_usage === true };
}

function toMessages(messages: ChatRequestMessage[]): ChatMessage[] {
  const toolNames = new Map<string, string>();
  const result: ChatMessage[] = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as ChatRequestMessage;
    switch (message.role) {
      case "system":
      case "developer":
        result.push(...toSystemMessages(message.content));
        break;
      case "user":
        result.push({ role: "user", content: toUserContent(message.content, index) });
        break;
      case "assistant": {
        const text =
          message.content === null || message.content === undefined
            ? null
            : typeof message.content === "string"
              ? message.content
              : message.content
                  .map((part) => (part.type === "text" ? part.text : part.refusal))
                  .join("");
        const assistant: ChatMessage = { role: "assistant", content: text };
        if (typeof message.reasoning_content === "string" && message.reasoning_content !== "") {
          const origin = REASONING_ORIGIN.chat;
          assistant.reasoning = [{ type: "reasoning", origin, text: message.reasoning_content }];
        }
        if (message.tool_calls && message.tool_calls.length > 0) {
          assistant.toolCalls = message.tool_calls.map((call) => {
            toolNames.set(call.id, call.function.name);
            return { id: call.id, name: call.function.name, arguments: call.function.arguments };
          });
        }
        result.push(assistant);
        break;
      }
      case "tool": {
        const tool: ChatMessage = {
          role: "tool",
          toolCallId: message.tool_call_id,
          content: joinText(message.content),
        };
        const parts = toToolParts(message.content);
        if (parts !== undefined) tool.parts = parts;
        const name = toolNames.get(message.tool_call_id);
        if (name !== undefined) tool.name = name;
        result.push(tool);
        break;
      }
    }
  }
  return result;
}

function toToolDefinition(tool: NonNullable<ChatRequestBody["tools"]>[number]): ToolDefinition {
  const definition: ToolDefinition = {
    name: tool.function.name,
    parameters: tool.function.parameters ?? { type: "object", properties: {} },
  };
  if (typeof tool.function.description === "string") {
    definition.description = tool.function.description;
  }
  if (typeof tool.function.strict === "boolean") definition.strict = tool.function.strict;
  return definition;
}

function toToolChoice(choice: NonNullable<ChatRequestBody["tool_choice"]>): ToolChoice {
  return typeof choice === "string" ? choice : { name: choice.function.name };
}

function toResponseFormat(format: NonNullable<ChatRequestBody["response_format"]>): ResponseFormat {
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json_object":
      return { type: "json" };
    case "json_schema": {
      const { json_schema: spec } = format;
      const result: ResponseFormat = {
        type: "json_schema",
        name: spec.name,
        schema: spec.schema ?? {},
      };
      if (typeof spec.description === "string") result.description = spec.description;
      if (typeof spec.strict === "boolean") result.strict = spec.strict;
      return result;
    }
  }
}
