/**
 * A Responses API request body -> a `ResponsesTurn`: the unified `ChatRequest` parts of this turn,
 * its input items as they will be stored (each with an id), and what the answer echoes back.
 * The conversation of a `previous_response_id` is joined later (`toChatRequest`), once the stored
 * response has been read.
 *
 * Mapping notes:
 * - `input` as a string is one user message; `instructions` become the first system message (they
 *   are not carried to the next turn, as with the vendor).
 * - `developer` messages become `system`; `input_image` URLs and data URLs become image parts.
 * - `function_call` items join the assistant message before them; `function_call_output` items
 *   become tool messages.
 * - `reasoning` items become the `reasoning` of the assistant message after them: with
 *   `encrypted_content`, origin `openai` (replayable to a Responses target only); without, origin
 *   `unsigned` (replayed nowhere). A target that cannot take them has them left out, recorded in the
 *   trace.
 * - What has no counterpart on a translated target makes such targets ineligible, a 400 naming the
 *   field when no Responses target is left: built-in tools (`web_search`, `file_search`, ...),
 *   `input_file` parts by `file_id`, `item_reference` items (`isUntranslatable` tells these errors
 *   apart). `input_file` with `file_data` or `file_url` is a document; a function output with
 *   images or files keeps them as the tool message's parts.
 * - `reasoning.effort` -> `reasoning.effort`; `reasoning.summary` (other than none) ->
 *   `reasoning.includeThoughts`.
 */
import { randomBytes } from "node:crypto";
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  ReasoningPart,
  ResponseFormat,
  ToolDefinition,
} from "../../../llm/chat.js";
import {
  GatewayRequestError,
  invalidJsonBodyError,
  type ParseResult,
} from "../gateway-request-error.js";
import { OPENAI_EXTRAS_KEY, toImageSource } from "../openai/parse-chat-request.js";
import { documentSource } from "../openai/parse-content-parts.js";
import { invalidParam, requestErrorFromIssue } from "../openai/request-error-from-issue.js";
import { parseReportingInput } from "../parse-reporting-input.js";
import { REASONING_ORIGIN } from "../reasoning-origin.js";
import {
  FUNCTION_TOOL,
  KNOWN_RESPONSES_KEYS,
  type ResponsesInputItem,
  type ResponsesRequestBody,
  responsesRequestSchema,
} from "./responses-request-schema.js";

/** An input or output item as stored and listed (`GET /v1/responses/{id}/input_items`). */
export type StoredItem = Record<string, unknown> & { type: string; id: string };

export interface ResponsesTurn {
  body: ResponsesRequestBody;
  /** This turn's input items, each with an id. */
  items: StoredItem[];
  /** This turn's request without the earlier conversation (`messages` hold only this turn). */
  request: ChatRequest;
  stream: boolean;
  /** `store` as the client asked (the vendor's default is true). */
  store: boolean;
  /** Why a translated target cannot take this turn (a built-in tool); only pass-through targets can. */
  untranslatable?: GatewayRequestError;
}

const UNTRANSLATABLE = new WeakSet<GatewayRequestError>();

/** Whether an error names something only a Responses upstream can take (the body is not malformed). */
export function isUntranslatable(error: unknown): error is GatewayRequestError {
  return error instanceof GatewayRequestError && UNTRANSLATABLE.has(error);
}

function untranslatable(param: string, message: string): GatewayRequestError {
  const error = invalidParam(param, message);
  UNTRANSLATABLE.add(error);
  return error;
}

export function parseResponsesRequest(body: unknown): ParseResult<ResponsesTurn> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, error: invalidJsonBodyError("expected an object") };
  }
  const parsed = parseReportingInput(responsesRequestSchema, body);
  if (!parsed.success) return { ok: false, error: requestErrorFromIssue(parsed.error.issues[0]) };
  try {
    return { ok: true, value: toTurn(parsed.data, body as Record<string, unknown>) };
  } catch (error) {
    if (error instanceof GatewayRequestError) return { ok: false, error };
    throw error;
  }
}

function toTurn(body: ResponsesRequestBody, raw: Record<string, unknown>): ResponsesTurn {
  const items = normalizeItems(body.input);
  const request: ChatRequest = { model: body.model, messages: [] };
  let refused: GatewayRequestError | undefined;
  if (body.tools && body.tools.length > 0) {
    try {
      request.tools = body.tools.map(toToolDefinition);
    } catch (error) {
      if (!isUntranslatable(error)) throw error;
      refused = error;
    }
  }
  if (body.tool_choice) {
    request.toolChoice =
      typeof body.tool_choice === "string" ? body.tool_choice : { name: body.tool_choice.name };
  }
  if (typeof body.parallel_tool_calls === "boolean") {
    request.parallelToolCalls = body.parallel_tool_calls;
  }
  const format = body.text?.format;
  if (format) request.responseFormat = toResponseFormat(format);
  if (typeof body.temperature === "number") request.temperature = body.temperature;
  if (typeof body.top_p === "number") request.topP = body.top_p;
  if (typeof body.max_output_tokens === "number") request.maxTokens = body.max_output_tokens;
  if (typeof body.user === "string") request.user = body.user;
  if (body.reasoning?.effort || body.reasoning?.summary) {
    request.reasoning = {};
    if (body.reasoning.effort) request.reasoning.effort = body.reasoning.effort;
    if (body.reasoning.summary) request.reasoning.includeThoughts = true;
  }
  const extras = openAIExtras(body, raw);
  if (extras) request.providerOptions = { [OPENAI_EXTRAS_KEY]: extras };
  const turn: ResponsesTurn = {
    body,
    items,
    request,
    stream: body.stream === true,
    store: body.store !== false,
  };
  if (refused) turn.untranslatable = refused;
  return turn;
}

/**
 * The unified request of a turn: the instructions, then the earlier conversation (the stored items
 * of the previous responses), then this turn's input.
 */
export function toChatRequest(
  turn: ResponsesTurn,
  history: readonly StoredItem[],
): { request: ChatRequest } {
  const messages: ChatMessage[] = [];
  if (turn.body.instructions) messages.push({ role: "system", content: turn.body.instructions });
  itemsToMessages([...history, ...turn.items], messages);
  return { request: { ...turn.request, messages } };
}

/**
 * Appends the messages of `items` to `messages`. Reasoning items join the assistant message that
 * follows them (one made for them when none does).
 */
export function itemsToMessages(items: readonly StoredItem[], messages: ChatMessage[]): void {
  const toolNames = new Map<string, string>();
  let reasoning: ReasoningPart[] = [];
  /** The assistant message the pending reasoning led to. */
  const attach = (message: ChatMessage): void => {
    if (message.role !== "assistant" || reasoning.length === 0) return;
    message.reasoning = [...(message.reasoning ?? []), ...reasoning];
    reasoning = [];
  };
  items.forEach((item, index) => {
    switch (item.type) {
      case "message": {
        const message = toMessage(item, index);
        attach(message);
        messages.push(message);
        return;
      }
      case "function_call": {
        const callId = String(item.call_id);
        const name = String(item.name);
        toolNames.set(callId, name);
        const call = { id: callId, name, arguments: String(item.arguments) };
        const last = messages.at(-1);
        if (last?.role === "assistant" && reasoning.length === 0) {
          last.toolCalls = [...(last.toolCalls ?? []), call];
        } else {
          const message: ChatMessage = { role: "assistant", content: null, toolCalls: [call] };
          attach(message);
          messages.push(message);
        }
        return;
      }
      case "function_call_output": {
        const callId = String(item.call_id);
        const tool: ChatMessage = {
          role: "tool",
          toolCallId: callId,
          content: outputText(item.output),
        };
        const parts = outputParts(item.output, `input[${index}].output`);
        if (parts !== undefined) tool.parts = parts;
        const name = toolNames.get(callId);
        if (name !== undefined) tool.name = name;
        messages.push(tool);
        return;
      }
      case "reasoning":
        reasoning.push(toReasoningPart(item));
        return;
      default:
        throw untranslatable(
          `input[${index}].type`,
          `Invalid value for 'input[${index}].type': '${item.type}' items cannot be sent to this model's targets.`,
        );
    }
  });
  if (reasoning.length > 0) {
    const message: ChatMessage = { role: "assistant", content: null };
    attach(message);
    messages.push(message);
  }
}

/** A reasoning item: its summary texts joined, its encrypted content and id (see the notes above). */
function toReasoningPart(item: StoredItem): ReasoningPart {
  const summary = Array.isArray(item.summary) ? (item.summary as Record<string, unknown>[]) : [];
  const text = summary.map((entry) => String(entry.text ?? "")).join("\n\n");
  const opaque = typeof item.encrypted_content === "string" ? item.encrypted_content : undefined;
  if (opaque === undefined) return { type: "reasoning", origin: REASONING_ORIGIN.unsigned, text };
  return { type: "reasoning", origin: REASONING_ORIGIN.responses, text, opaque, id: item.id };
}

function toMessage(item: StoredItem, index: number): ChatMessage {
  const role = String(item.role);
  const content = item.content as string | Record<string, unknown>[];
  if (role === "system" || role === "developer") {
    return { role: "system", content: textOf(content) };
  }
  if (role === "assistant") return { role: "assistant", content: textOf(content) };
  if (typeof content === "string") return { role: "user", content };
  const only = content.length === 1 ? content[0] : undefined;
  if (only?.type === "input_text") return { role: "user", content: String(only.text) };
  return {
    role: "user",
    content: content.map((part, partIndex) =>
      toUserPart(part, `input[${index}].content[${partIndex}]`),
    ),
  };
}

function toUserPart(part: Record<string, unknown>, param: string): ContentPart {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: String(part.text) };
    case "input_image": {
      if (typeof part.image_url !== "string") {
        throw invalidParam(
          `${param}.image_url`,
          `Missing required parameter: '${param}.image_url'.`,
        );
      }
      const image: ContentPart = {
        type: "image",
        source: toImageSource(part.image_url, `${param}.image_url`),
      };
      if (part.detail === "auto" || part.detail === "low" || part.detail === "high") {
        image.detail = part.detail;
      }
      return image;
    }
    case "input_file":
      return toFilePart(part, param);
    default:
      throw untranslatable(
        `${param}.type`,
        `Invalid value for '${param}.type': '${String(part.type)}' parts cannot be sent to this model's targets.`,
      );
  }
}

function textOf(content: string | Record<string, unknown>[]): string {
  if (typeof content === "string") return content;
  return content
    .map((part) => (typeof part.text === "string" ? part.text : String(part.refusal ?? "")))
    .join("");
}

/**
 * An `input_file` part: `file_data` (base64) or `file_url` as a document titled with its `filename`.
 * A `file_id` names a file uploaded to OpenAI, which only a Responses upstream can read.
 */
function toFilePart(part: Record<string, unknown>, param: string): ContentPart {
  const filename = typeof part.filename === "string" ? part.filename : undefined;
  let document: ContentPart;
  if (typeof part.file_data === "string") {
    document = { type: "document", source: documentSource(part.file_data, filename) };
  } else if (typeof part.file_url === "string") {
    document = { type: "document", source: { type: "url", url: part.file_url } };
  } else {
    throw untranslatable(
      `${param}.file_id`,
      `Invalid value for '${param}.file_id': a file uploaded to OpenAI can be sent only to this model's Responses targets.`,
    );
  }
  if (filename !== undefined) document.title = filename;
  return document;
}

/** A function output of parts with an image or a file: those parts, for the unified tool message. */
function outputParts(output: unknown, param: string): ContentPart[] | undefined {
  if (!Array.isArray(output)) return undefined;
  const parts = output as Record<string, unknown>[];
  if (parts.every((part) => part.type === "input_text" || part.type === "output_text")) {
    return undefined;
  }
  return parts.map((part, index) => toUserPart(part, `${param}[${index}]`));
}

function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) return textOf(output as Record<string, unknown>[]);
  return "";
}

/** The input as items, each with an id (`msg_...`, `fc_...`), as the vendor lists them. */
function normalizeItems(input: ResponsesRequestBody["input"]): StoredItem[] {
  if (typeof input === "string") {
    return [
      {
        type: "message",
        id: itemId("msg"),
        role: "user",
        content: [{ type: "input_text", text: input }],
      },
    ];
  }
  return input.map((item: ResponsesInputItem): StoredItem => {
    const type = item.type ?? "message";
    const prefix =
      type === "function_call" ? "fc" : type === "function_call_output" ? "fco" : "msg";
    const normalized: Record<string, unknown> = { ...item, type };
    if (typeof normalized.id !== "string") normalized.id = itemId(prefix);
    if (type === "message" && typeof normalized.content === "string") {
      const partType = normalized.role === "assistant" ? "output_text" : "input_text";
      normalized.content = [{ type: partType, text: normalized.content }];
    }
    return normalized as StoredItem;
  });
}

function toToolDefinition(
  tool: NonNullable<ResponsesRequestBody["tools"]>[number],
  index: number,
): ToolDefinition {
  const parsed = FUNCTION_TOOL.safeParse(tool);
  if (!parsed.success) {
    if (tool.type !== "function") {
      throw untranslatable(
        `tools[${index}].type`,
        `Invalid value for 'tools[${index}].type': built-in tool '${tool.type}' cannot be sent to this model's targets.`,
      );
    }
    throw requestErrorFromIssue({
      ...(parsed.error.issues[0] as NonNullable<(typeof parsed.error.issues)[0]>),
      path: ["tools", index, ...(parsed.error.issues[0]?.path ?? [])],
    });
  }
  const definition: ToolDefinition = {
    name: parsed.data.name,
    parameters: parsed.data.parameters ?? { type: "object", properties: {} },
  };
  if (typeof parsed.data.description === "string") definition.description = parsed.data.description;
  if (typeof parsed.data.strict === "boolean") definition.strict = parsed.data.strict;
  return definition;
}

function toResponseFormat(
  format: NonNullable<NonNullable<ResponsesRequestBody["text"]>["format"]>,
): ResponseFormat {
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json_object":
      return { type: "json" };
    case "json_schema": {
      const result: ResponseFormat = {
        type: "json_schema",
        name: format.name,
        schema: format.schema,
      };
      if (typeof format.description === "string") result.description = format.description;
      if (typeof format.strict === "boolean") result.strict = format.strict;
      return result;
    }
  }
}

/**
 * What rides to OpenAI-format targets in the `openai` provider options, as the chat parser does with
 * fields it does not model: unknown top-level fields as sent (`service_tier`, `prompt_cache_key`,
 * ...) and `text.verbosity` as `verbosity`, its Chat Completions name. Other targets ignore them.
 */
function openAIExtras(
  body: ResponsesRequestBody,
  raw: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const extras: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (!KNOWN_RESPONSES_KEYS.has(key)) extras[key] = raw[key];
  }
  if (body.text?.verbosity) extras.verbosity = body.text.verbosity;
  return Object.keys(extras).length > 0 ? extras : undefined;
}

/** A vendor-shaped item id: the prefix, `_`, then 48 hex characters. */
export function itemId(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString("hex")}`;
}
