import type { ChatRequest, ReasoningPart } from "../../llm/chat.js";
import { effortForBudget } from "../../llm/reasoning-effort.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { isRecord, type JsonRecord, readArray, readString } from "../shared/json-fields.js";

/**
 * The `ReasoningPart.origin` of Chat Completions `reasoning_content` (DeepSeek, vLLM, OpenRouter and
 * other OpenAI-format servers): plain text, sent back as the assistant message's `reasoning_content`.
 */
export const CHAT_REASONING_ORIGIN = "openai-chat";

/** The origin of Responses API `reasoning` items (their `encrypted_content` replays only there). */
export const RESPONSES_REASONING_ORIGIN = "openai";

type ReasoningDelta = Extract<ChatStreamPart, { type: "reasoning-delta" }>;

/**
 * OpenAI's models that take a reasoning effort (the o-series, GPT-5 and later, gpt-oss); the API
 * refuses `reasoning_effort` and `reasoning` on the others, so they are not sent there.
 */
export function takesReasoningEffort(model: string): boolean {
  return /^(?:ft:)?(?:o\d|gpt-(?:[5-9]|\d{2,})|gpt-oss|codex)/i.test(model);
}

/**
 * The `reasoning_effort` of a request: its effort as given, or its budget's level from the table
 * (at most `high`, the top level every reasoning model takes); undefined when it asks for neither.
 */
export function reasoningEffortOf(request: ChatRequest): string | undefined {
  const reasoning = request.reasoning;
  if (reasoning === undefined) return undefined;
  if (reasoning.effort !== undefined) return reasoning.effort;
  if (reasoning.budgetTokens === undefined) return undefined;
  return effortForBudget(reasoning.budgetTokens, "high");
}

/** Whether a server takes reasoning settings: always, never, or by model. */
export type ReasoningSupport = boolean | ((model: string) => boolean);

export function supportsReasoning(support: ReasoningSupport | undefined, model: string): boolean {
  return typeof support === "function" ? support(model) : (support ?? true);
}

/** The assistant's `reasoning_content` for history: its chat-origin reasoning text joined. */
export function reasoningContentOf(
  parts: readonly ReasoningPart[] | undefined,
): string | undefined {
  const texts = (parts ?? [])
    .filter((part) => part.origin === CHAT_REASONING_ORIGIN && part.text !== "")
    .map((part) => part.text);
  return texts.length === 0 ? undefined : texts.join("\n\n");
}

/**
 * The reasoning text of a chat `message` or stream `delta`: `reasoning_content`, or `reasoning` (the
 * name some servers use); undefined when neither is a non-empty string.
 */
export function readReasoningContent(record: JsonRecord): string | undefined {
  const text = readString(record, "reasoning_content") ?? readString(record, "reasoning");
  return text === undefined || text === "" ? undefined : text;
}

/** A chat answer's reasoning as a part. */
export function chatReasoningPart(text: string): ReasoningPart {
  return { type: "reasoning", origin: CHAT_REASONING_ORIGIN, text };
}

/** A chat stream's reasoning text as a part. */
export function chatReasoningDelta(text: string): ReasoningDelta {
  return { type: "reasoning-delta", text, origin: CHAT_REASONING_ORIGIN };
}

/** A Responses request's `reasoning` object (and `include`) from the unified request. */
export function applyResponsesReasoning(
  body: Record<string, unknown>,
  request: ChatRequest,
  support?: ReasoningSupport,
): void {
  if (!supportsReasoning(support, request.model)) return;
  const effort = reasoningEffortOf(request);
  const summary = request.reasoning?.includeThoughts === true ? { summary: "auto" } : {};
  if (effort === undefined && !("summary" in summary)) return;
  body.reasoning = { ...(effort === undefined ? {} : { effort }), ...summary };
  // With `store: false` the upstream keeps nothing: its reasoning comes back only encrypted.
  if (effort !== "none") body.include = ["reasoning.encrypted_content"];
}

/** An assistant turn's replayable reasoning as Responses `reasoning` input items. */
export function reasoningItems(parts: readonly ReasoningPart[] | undefined): JsonRecord[] {
  const items: JsonRecord[] = [];
  for (const part of parts ?? []) {
    if (part.origin !== RESPONSES_REASONING_ORIGIN) continue;
    const item: JsonRecord = {
      type: "reasoning",
      summary: part.text === "" ? [] : [{ type: "summary_text", text: part.text }],
    };
    if (part.id !== undefined) item.id = part.id;
    if (part.opaque !== undefined) item.encrypted_content = part.opaque;
    items.push(item);
  }
  return items;
}

/** A Responses `reasoning` output item as a part: its summary texts joined, encrypted content, id. */
export function readReasoningItem(item: JsonRecord): ReasoningPart {
  const texts: string[] = [];
  for (const entry of readArray(item, "summary") ?? []) {
    if (isRecord(entry)) texts.push(readString(entry, "text") ?? "");
  }
  const part: ReasoningPart = {
    type: "reasoning",
    origin: RESPONSES_REASONING_ORIGIN,
    text: texts.join("\n\n"),
  };
  const id = readString(item, "id");
  const opaque = readString(item, "encrypted_content");
  if (id !== undefined) part.id = id;
  if (opaque !== undefined) part.opaque = opaque;
  return part;
}

/**
 * A Responses stream event's reasoning: summary text deltas as they come (a blank line between
 * summary parts), and the finished item's id and encrypted content at `response.output_item.done`.
 */
export function responsesReasoningDelta(
  type: string,
  data: JsonRecord,
): ReasoningDelta | undefined {
  if (type === "response.reasoning_summary_text.delta") {
    const text = readString(data, "delta") ?? "";
    return text === ""
      ? undefined
      : { type: "reasoning-delta", text, origin: RESPONSES_REASONING_ORIGIN };
  }
  if (type === "response.reasoning_summary_part.added" && (data.summary_index ?? 0) !== 0) {
    return { type: "reasoning-delta", text: "\n\n", origin: RESPONSES_REASONING_ORIGIN };
  }
  if (type === "response.output_item.done") {
    const item = isRecord(data.item) ? data.item : undefined;
    if (item?.type !== "reasoning") return undefined;
    const part: ReasoningDelta = {
      type: "reasoning-delta",
      text: "",
      origin: RESPONSES_REASONING_ORIGIN,
    };
    const id = readString(item, "id");
    const opaque = readString(item, "encrypted_content");
    if (id !== undefined) part.id = id;
    if (opaque !== undefined) part.opaque = opaque;
    return part;
  }
  return undefined;
}
