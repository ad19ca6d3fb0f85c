/**
 * The zod 4 schema of a Responses API request body (`POST /v1/responses`), as the vendor's SDKs,
 * the AI SDK and LangChain send it. Optional parameters accept `null`. Input items are checked for
 * the fields the gateway reads; the items themselves are stored as the client sent them.
 */
import { z } from "zod";

const inputText = z.object({ type: z.literal("input_text"), text: z.string() });
const inputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(["auto", "low", "high"]).nullish(),
});
const inputFile = z.object({
  type: z.literal("input_file"),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});
const outputText = z.object({ type: z.literal("output_text"), text: z.string() });
const refusal = z.object({ type: z.literal("refusal"), refusal: z.string() });

const contentPart = z.discriminatedUnion("type", [
  inputText,
  inputImage,
  inputFile,
  outputText,
  refusal,
]);

export const messageItem = z.object({
  type: z.literal("message").optional(),
  id: z.string().nullish(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(contentPart)]),
  status: z.string().nullish(),
});

const functionCallItem = z.object({
  type: z.literal("function_call"),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: z.string().nullish(),
});

const functionCallOutputItem = z.object({
  type: z.literal("function_call_output"),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(contentPart)]),
  status: z.string().nullish(),
});

const reasoningItem = z.object({
  type: z.literal("reasoning"),
  id: z.string().nullish(),
  summary: z.array(z.object({ type: z.string(), text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});

const itemReference = z.object({ type: z.literal("item_reference"), id: z.string().min(1) });

export const inputItem = z.union([
  messageItem,
  functionCallItem,
  functionCallOutputItem,
  reasoningItem,
  itemReference,
]);

const functionTool = z.object({
  type: z.literal("function"),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const toolChoice = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ type: z.literal("function"), name: z.string().min(1) }),
]);

const textFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

export const responsesRequestSchema = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(inputItem)]),
  instructions: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.object({ format: textFormat.nullish(), verbosity: z.string().nullish() }).nullish(),
  reasoning: z
    .object({
      effort: z.enum(["minimal", "low", "medium", "high", "none", "xhigh"]).nullish(),
      summary: z.enum(["auto", "concise", "detailed"]).nullish(),
    })
    .nullish(),
  max_output_tokens: z.int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  include: z.array(z.string()).nullish(),
  truncation: z.enum(["auto", "disabled"]).nullish(),
  user: z.string().nullish(),
  stream_options: z.object({ include_obfuscation: z.boolean().nullish() }).nullish(),
});

export const FUNCTION_TOOL = functionTool;

export type ResponsesRequestBody = z.infer<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof inputItem>;
export type ResponsesContentPart = z.infer<typeof contentPart>;

/** Top-level fields this schema knows; the others are kept for an upstream of the same API. */
export const KNOWN_RESPONSES_KEYS: ReadonlySet<string> = new Set(
  Object.keys(responsesRequestSchema.shape),
);
