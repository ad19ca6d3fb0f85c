/**
 * A Responses API request body -> a `ResponsesTurn`: the unified `ChatRequest` parts of this turn,
 * its input items as they will be stored (each with an id), and what the answer echoes back.
 * The conversation of a `previous_response_id` is joined later (`toChatRequest`), once the stored
 * response has been read.
 *
 * Mapping notes:
 * - `input` as a string is one user message; `instructions` become the first system message (they
 *   are not carried to the next turn, as with the vendor).
 * - Input items (messages, function calls and outputs, reasoning): see items-to-messages.ts;
 *   content parts (images, files): see parse-input-parts.ts.
 * - What has no counterpart on a translated target makes such targets ineligible, a 400 naming the
 *   field when no Responses target is left: built-in tools (`web_search`, `file_search`, ...),
 *   `input_file` parts by `file_id`, `item_reference` items (`isUntranslatable` tells these errors
 *   apart). `input_file` with `file_data` or `file_url` is a document; a function output with
 *   images or files keeps them as the tool message's parts.
 * - `reasoning.effort` -> `reasoning.effort`; `reasoning.summary` (other than none) ->
 *   `reasoning.includeThoughts`.
 */
import type { ChatMessage, ChatRequest } from "../../../llm/chat.js";
import {
  GatewayRequestError,
  invalidJsonBodyError,
  type ParseResult,
} from "../gateway-request-error.js";
import { OPENAI_EXTRAS_KEY } from "../openai/parse-chat-request.js";
import { requestErrorFromIssue } from "../openai/request-error-from-issue.js";
import { parseReportingInput } from "../parse-reporting-input.js";
import { itemsToMessages } from "./items-to-messages.js";
import { toToolChoice, toToolDefinition } from "./parse-responses-tools.js";
import { toResponseFormat } from "./parse-text-format.js";
import {
  KNOWN_RESPONSES_KEYS,
  type ResponsesRequestBody,
  responsesRequestSchema,
} from "./responses-request-schema.js";
import { normalizeItems, type StoredItem } from "./stored-items.js";
import { isUntranslatable } from "./untranslatable.js";

export interface ResponsesTurn {
  body: ResponsesRequestBody;
  /** This turn's input items, each with an id. */
  items: StoredItem[];
  /** This turn's request without the earlier conversation (`messages` hold only this turn). */
  request: ChatRequest;
  stream: boolean;
  /** `store` as the client asked (the vendor's default is true). */
  store: boolean;
  /**
   * Why a translated target cannot take this turn (a built-in tool); only pass-through targets can.
   */
  untranslatable?: GatewayRequestError;
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
  if (body.tool_choice) request.toolChoice = toToolChoice(body.tool_choice);
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
 * What rides to OpenAI-format targets in the `openai` provider options, as the chat parser does
 * with fields it does not model: unknown top-level fields as sent (`service_tier`,
 * `prompt_cache_key`, ...) and `text.verbosity` as `verbosity`, its Chat Completions name. Other
 * targets ignore them.
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
