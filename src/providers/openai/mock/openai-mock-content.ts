import { asRecord } from "../../../testing/mock-kit/mock-wire-helpers.js";

const USER_PARTS = new Set(["text", "image_url", "file", "input_audio"]);
const AUDIO_FORMATS = new Set(["wav", "mp3"]);
const TOOL_OUTPUT_PARTS = new Set(["input_text", "input_image", "input_file"]);

/**
 * The checks Chat Completions makes on message content: user part types, `file` parts with a base64
 * data URL or an id, `input_audio` formats, and tool and system messages holding text parts only.
 * The API's message, or `undefined`.
 */
export function checkChatContent(body: unknown): string | undefined {
  const messages = asRecord(body)?.messages;
  if (!Array.isArray(messages)) return undefined;
  for (const [index, message] of messages.entries()) {
    const record = asRecord(message);
    if (!Array.isArray(record?.content)) continue;
    const textOnly = record.role !== "user";
    for (const [partIndex, part] of record.content.entries()) {
      const problem = checkPart(asRecord(part), textOnly);
      if (problem !== undefined) {
        return `Invalid value for 'messages[${index}].content[${partIndex}]': ${problem}`;
      }
    }
  }
  return undefined;
}

function checkPart(
  part: Record<string, unknown> | undefined,
  textOnly: boolean,
): string | undefined {
  const type = String(part?.type);
  if (textOnly) {
    return type === "text" || type === "refusal"
      ? undefined
      : `'${type}' parts are only allowed in user messages.`;
  }
  if (!USER_PARTS.has(type)) return `unknown part type '${type}'.`;
  if (type === "file") {
    const file = asRecord(part?.file);
    if (typeof file?.file_id === "string") return undefined;
    if (!/^data:[^;,]+;base64,/.test(String(file?.file_data))) {
      return "file_data must be a base64 data URL.";
    }
  }
  if (type === "input_audio") {
    const format = String(asRecord(part?.input_audio)?.format);
    if (!AUDIO_FORMATS.has(format)) return `audio format '${format}' is not supported.`;
  }
  return undefined;
}

/** The Responses API's check of `function_call_output` items: a string or input content parts. */
export function checkResponsesContent(body: unknown): string | undefined {
  const input = asRecord(body)?.input;
  if (!Array.isArray(input)) return undefined;
  for (const [index, item] of input.entries()) {
    const record = asRecord(item);
    if (record?.type !== "function_call_output" || typeof record.output === "string") continue;
    if (!Array.isArray(record.output)) return `Invalid type for 'input[${index}].output'.`;
    for (const part of record.output) {
      const type = String(asRecord(part)?.type);
      if (!TOOL_OUTPUT_PARTS.has(type)) {
        return `Invalid value for 'input[${index}].output': unknown part type '${type}'.`;
      }
    }
  }
  return undefined;
}
