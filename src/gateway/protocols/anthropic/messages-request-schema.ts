/**
 * The zod 4 schema of a Messages API request body, as clients of the vendor's SDK send it. Unknown
 * keys inside objects (`citations` on a text block, ...) are dropped; unknown top-level keys are
 * collected separately by the parser.
 */
import { z } from "zod";
import { cacheControlSchema } from "../cache-control.js";

/** A prompt-cache breakpoint, on system and content blocks, tools and tool results. */
const cacheControl = cacheControlSchema;

const textBlock = z.object({
  type: z.literal("text"),
  text: z.string(),
  cache_control: cacheControl,
});

const imageSource = z.discriminatedUnion("type", [
  z.object({ type: z.literal("base64"), media_type: z.string().min(1), data: z.string().min(1) }),
  z.object({ type: z.literal("url"), url: z.string().min(1) }),
]);

const imageBlock = z.object({
  type: z.literal("image"),
  source: imageSource,
  cache_control: cacheControl,
});

/** A PDF (base64 or URL) or plain text; `content` and `file` sources are not modelled. */
const documentSource = z.discriminatedUnion("type", [
  z.object({ type: z.literal("base64"), media_type: z.string().min(1), data: z.string().min(1) }),
  z.object({ type: z.literal("url"), url: z.string().min(1) }),
  z.object({ type: z.literal("text"), media_type: z.string().min(1), data: z.string() }),
]);

const documentBlock = z.object({
  type: z.literal("document"),
  source: documentSource,
  title: z.string().nullish(),
  /** Refused by the parser when set: the unified model carries neither. */
  context: z.string().nullish(),
  citations: z.object({ enabled: z.boolean().nullish() }).nullish(),
  cache_control: cacheControl,
});

const toolUseBlock = z.object({
  type: z.literal("tool_use"),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});

const toolResultBlock = z.object({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: z
    .union([
      z.string(),
      z.array(z.discriminatedUnion("type", [textBlock, imageBlock, documentBlock])),
    ])
    .nullish(),
  is_error: z.boolean().nullish(),
  cache_control: cacheControl,
});

const thinkingBlock = z.object({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string().nullish(),
});
const redactedThinkingBlock = z.object({ type: z.literal("redacted_thinking"), data: z.string() });

const contentBlock = z.discriminatedUnion("type", [
  textBlock,
  imageBlock,
  documentBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
]);

const message = z.object({
  role: z.enum(["user", "assistant"]),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const tool = z.object({
  /** Absent or "custom" for client tools; server tools (`web_search_...`) are refused later. */
  type: z.string().nullish(),
  name: z.string().min(1),
  description: z.string().nullish(),
  input_schema: z.record(z.string(), z.unknown()).nullish(),
  cache_control: cacheControl,
});

const toolChoice = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().nullish() }),
  z.object({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().nullish() }),
  z.object({ type: z.literal("none") }),
  z.object({
    type: z.literal("tool"),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().nullish(),
  }),
]);

const thinking = z.discriminatedUnion("type", [
  z.object({ type: z.literal("enabled"), budget_tokens: z.number().int().min(0) }),
  z.object({ type: z.literal("disabled") }),
  z.object({ type: z.literal("adaptive"), display: z.string().nullish() }),
]);

export const messagesRequestSchema = z.object({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(message).min(1),
  system: z.union([z.string(), z.array(textBlock)]).nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  temperature: z.number().min(0).max(1).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  metadata: z.object({ user_id: z.string().nullish() }).nullish(),
  stream: z.boolean().nullish(),
  thinking: thinking.nullish(),
});

export type MessagesRequestBody = z.infer<typeof messagesRequestSchema>;
export type MessagesRequestMessage = z.infer<typeof message>;
export type MessagesContentBlock = z.infer<typeof contentBlock>;
export type MessagesCacheControl = z.infer<typeof cacheControl>;

/** The top-level keys the schema maps; every other top-level key is a vendor extra. */
export const KNOWN_MESSAGES_KEYS: ReadonlySet<string> = new Set(
  Object.keys(messagesRequestSchema.shape),
);
