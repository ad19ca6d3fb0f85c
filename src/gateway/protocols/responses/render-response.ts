/**
 * The Responses API's `response` object: what `POST /v1/responses` answers, what each stream event
 * that carries a whole response holds, and what `GET /v1/responses/{id}` reads back. The request's
 * settings are echoed as the vendor does; the output is built from the unified result.
 *
 * Status: a `length` finish is `incomplete` with `max_output_tokens`, a `content_filter` finish is
 * `incomplete` with `content_filter`, anything else `completed`.
 */
import type { ChatResult, FinishReason, ToolCall, Usage } from "../../../llm/chat.js";
import { REASONING_ORIGIN } from "../reasoning-origin.js";
import type { ResponsesTurn } from "./parse-responses-request.js";
import { itemId, type StoredItem } from "./stored-items.js";

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export interface ResponseObject {
  id: string;
  object: "response";
  created_at: number;
  status: ResponseStatus;
  completed_at?: number | null;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: StoredItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number;
  text: { format: Record<string, unknown> };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number;
  truncation: "auto" | "disabled";
  usage?: ResponsesUsage;
  user?: string;
  metadata: Record<string, string>;
}

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** The shell of a response before any output: the `response.created` event's payload. */
export function responseShell(
  turn: ResponsesTurn,
  options: { id: string; model: string; createdAt: number; store: boolean },
): ResponseObject {
  const { body } = turn;
  return {
    id: options.id,
    object: "response",
    created_at: options.createdAt,
    status: "in_progress",
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: options.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: options.store,
    temperature: body.temperature ?? 1,
    text: {
      format: (body.text?.format as Record<string, unknown> | undefined) ?? { type: "text" },
    },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
    ...(typeof body.user === "string" ? { user: body.user } : {}),
    metadata: body.metadata ?? {},
  };
}

/** A finished response: the shell with its output, status and usage. */
export function finishResponse(
  shell: ResponseObject,
  output: StoredItem[],
  finishReason: FinishReason,
  usage: Usage | undefined,
  completedAt: number,
): ResponseObject {
  const incomplete = incompleteReason(finishReason);
  const response: ResponseObject = {
    ...shell,
    status: incomplete ? "incomplete" : "completed",
    completed_at: incomplete ? null : completedAt,
    incomplete_details: incomplete ? { reason: incomplete } : null,
    output,
  };
  if (usage !== undefined) response.usage = toResponsesUsage(usage);
  return response;
}

/**
 * The output items of a whole result: its reasoning, a message when there is text, then each
 * function call.
 */
export function outputItems(
  result: Pick<ChatResult, "text" | "toolCalls" | "reasoning">,
): StoredItem[] {
  const items: StoredItem[] = (result.reasoning ?? []).map((part) =>
    reasoningOutput(
      itemId("rs"),
      part.text,
      part.origin === REASONING_ORIGIN.responses ? part.opaque : undefined,
    ),
  );
  if (result.text !== "" || result.toolCalls.length === 0) {
    items.push(messageOutput(itemId("msg"), result.text, "completed"));
  }
  for (const call of result.toolCalls)
    items.push(functionCallOutput(itemId("fc"), call, "completed"));
  return items;
}

export function messageOutput(id: string, text: string, status: string): StoredItem {
  return {
    type: "message",
    id,
    status,
    role: "assistant",
    content: status === "in_progress" ? [] : [outputTextPart(text)],
  };
}

/**
 * A `reasoning` item: the reasoning text as its summary, and the encrypted content when the reasoning
 * is OpenAI's own (another vendor's signature means nothing to a Responses upstream).
 */
export function reasoningOutput(
  id: string,
  text: string,
  encrypted: string | undefined,
): StoredItem {
  const item: StoredItem = {
    type: "reasoning",
    id,
    summary: text === "" ? [] : [summaryTextPart(text)],
  };
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return item;
}

export function summaryTextPart(text: string): Record<string, unknown> {
  return { type: "summary_text", text };
}

export function outputTextPart(text: string): Record<string, unknown> {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

export function functionCallOutput(id: string, call: ToolCall, status: string): StoredItem {
  return {
    type: "function_call",
    id,
    call_id: call.id,
    name: call.name,
    arguments: call.arguments,
    status,
  };
}

export function toResponsesUsage(usage: Usage): ResponsesUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: {
      cached_tokens: usage.cachedInputTokens,
      cache_write_tokens: usage.cacheWriteTokens ?? 0,
    },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens,
  };
}

function incompleteReason(reason: FinishReason): "max_output_tokens" | "content_filter" | null {
  if (reason === "length") return "max_output_tokens";
  if (reason === "content_filter") return "content_filter";
  return null;
}

/** A response id as the vendor spells them. */
export function responseId(): string {
  return itemId("resp");
}
