/**
 * The zod 4 schema of a Chat Completions request body, as clients of the vendor's SDK send it.
 * Optional parameters accept `null` (the SDKs and many clients send explicit nulls). Unknown keys
 * inside objects are dropped; unknown top-level keys are collected separately by the parser.
 */
import { z } from "zod";
import { cacheControlSchema } from "../cache-control.js";

/**
 * A prompt-cache breakpoint on a content part: not OpenAI's (its cache is automatic) but the
 * convention of routers that reach Anthropic models (OpenRouter), carried to Messages targets.
 */
const cacheControl = cacheControlSchema;

const textPart = z.object({
  type: z.literal("text"),
  text: z.string(),
  cache_control: cacheControl,
});

const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({
    url: z.string().min(1),
    detail: z.enum(["auto", "low", "high"]).nullish(),
  }),
  cache_control: cacheControl,
});

/** A file inline (`file_data`, a base64 data URL) or uploaded earlier (`file_id`). */
const filePart = z.object({
  type: z.literal("file"),
  file: z.object({
    file_data: z.string().min(1).nullish(),
    file_id: z.string().min(1).nullish(),
    filename: z.string().nullish(),
  }),
  cache_control: cacheControl,
});

const audioPart = z.object({
  type: z.literal("input_audio"),
  input_audio: z.object({ data: z.string().min(1), format: z.string().min(1) }),
});

const refusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() });

const textContent = z.union([z.string(), z.array(textPart)]);

const userContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion("type", [textPart, imagePart, filePart, audioPart])),
]);

const assistantContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion("type", [textPart, refusalPart])),
]);

const toolCall = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const message = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: textContent }),
  z.object({ role: z.literal("developer"), content: textContent }),
  z.object({ role: z.literal("user"), content: userContent }),
  z.object({
    role: z.literal("assistant"),
    content: assistantContent.nullish(),
    refusal: z.string().nullish(),
    tool_calls: z.array(toolCall).nullish(),
    /** Reasoning from an earlier turn (DeepSeek-style servers send it; clients may send it back). */
    reasoning_content: z.string().nullish(),
  }),
  z.object({ role: z.literal("tool"), tool_call_id: z.string(), content: textContent }),
]);

const tool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoice = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) }),
]);

const responseFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().min(1),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const chatRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormat.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().nullish(),
  n: z.number().int().nullish(),
  reasoning_effort: z.string().min(1).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
});

export type ChatRequestBody = z.infer<typeof chatRequestSchema>;
export type ChatRequestMessage = z.infer<typeof message>;
export type ChatCacheControl = z.infer<typeof cacheControl>;

/** The top-level keys the schema maps; every other top-level key is a vendor extra. */
export const KNOWN_CHAT_KEYS: ReadonlySet<string> = new Set(Object.keys(chatRequestSchema.shape));
