/**
 * Responses content parts -> unified content.
 *
 * - `input_image` URLs and data URLs become image parts.
 */
import type { ContentPart } from "../../../llm/chat.js";
import { toImageSource } from "../openai/parse-chat-request.js";
import { documentSource } from "../openai/parse-content-parts.js";
import { invalidParam } from "../openai/request-error-from-issue.js";
import { untranslatable } from "./untranslatable.js";

export function toUserPart(part: Record<string, unknown>, param: string): ContentPart {
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

export function textOf(content: string | Record<string, unknown>[]): string {
  if (typeof content === "string") return content;
  return content
    .map((part) => (typeof part.text === "string" ? part.text : String(part.refusal ?? "")))
    .join("");
}

/**
 * An `input_file` part: `file_data` (base64) or `file_url` as a document titled with its
 * `filename`. A `file_id` names a file uploaded to OpenAI, which only a Responses upstream can
 * read.
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

/**
 * A function output of parts with an image or a file: those parts, for the unified tool message.
 */
export function outputParts(output: unknown, param: string): ContentPart[] | undefined {
  if (!Array.isArray(output)) return undefined;
  const parts = output as Record<string, unknown>[];
  if (parts.every((part) => part.type === "input_text" || part.type === "output_text")) {
    return undefined;
  }
  return parts.map((part, index) => toUserPart(part, `${param}[${index}]`));
}

export function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) return textOf(output as Record<string, unknown>[]);
  return "";
}
