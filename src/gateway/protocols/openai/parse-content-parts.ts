/**
 * Chat Completions content parts -> unified content.
 *
 * - `image_url`: data URLs (`data:<type>;base64,<data>`) become base64 sources, http(s) URLs stay
 *   URLs; `detail` is kept.
 * - `file` with `file_data` (a base64 data URL, or bare base64 read as the type its `filename`
 *   names, else PDF) becomes a document titled with the `filename`. A `file_id` names a file
 *   uploaded to OpenAI, which no other vendor can read: refused, so only same-protocol targets serve.
 * - `input_audio` becomes an audio part (`format` as given: `wav`, `mp3`).
 * - `cache_control` on a part (the convention of routers in front of Anthropic models) becomes its
 *   `cacheControl`. System text parts with one become one system message each; tool message text
 *   parts with one are kept as the tool message's `parts`.
 */
import type { ChatMessage, ContentPart, DocumentSource, ImageSource } from "../../../llm/chat.js";
import { toCacheControl, withCacheControl } from "../cache-control.js";
import type { ChatCacheControl, ChatRequestMessage } from "./chat-request-schema.js";
import { invalidParam } from "./request-error-from-issue.js";

type UserContent = Extract<ChatRequestMessage, { role: "user" }>["content"];
type TextParts = { text: string; cache_control?: ChatCacheControl }[];
type CacheablePart = Exclude<ContentPart, { type: "audio" }>;

export function joinText(content: string | { text: string }[]): string {
  if (typeof content === "string") return content;
  return content.map((part) => part.text).join("\n");
}

/** A system or developer message: one message, or one per text part when a part marks a breakpoint. */
export function toSystemMessages(content: string | TextParts): ChatMessage[] {
  if (typeof content === "string" || !content.some((part) => toCacheControl(part.cache_control))) {
    return [{ role: "system", content: joinText(content) }];
  }
  return content.map((part) =>
    withCacheControl<ChatMessage & { role: "system" }>(
      { role: "system", content: part.text },
      part.cache_control,
    ),
  );
}

/** A tool message's text parts, kept as parts only when one marks a breakpoint. */
export function toToolParts(content: string | TextParts): ContentPart[] | undefined {
  if (typeof content === "string" || !content.some((part) => toCacheControl(part.cache_control))) {
    return undefined;
  }
  return content.map((part) =>
    withCacheControl<CacheablePart>({ type: "text", text: part.text }, part.cache_control),
  );
}

export function toUserContent(content: UserContent, messageIndex: number): string | ContentPart[] {
  if (typeof content === "string") return content;
  return content.map((part, partIndex): ContentPart => {
    const path = `messages[${messageIndex}].content[${partIndex}]`;
    switch (part.type) {
      case "text":
        return withCacheControl<CacheablePart>(
          { type: "text", text: part.text },
          part.cache_control,
        );
      case "image_url": {
        const source = toImageSource(part.image_url.url, `${path}.image_url.url`);
        const image: CacheablePart = { type: "image", source };
        if (part.image_url.detail) image.detail = part.image_url.detail;
        return withCacheControl(image, part.cache_control);
      }
      case "file":
        return toDocumentPart(part.file, path, part.cache_control);
      default:
        return { type: "audio", format: part.input_audio.format, data: part.input_audio.data };
    }
  });
}

function toDocumentPart(
  file: { file_data?: string | null; file_id?: string | null; filename?: string | null },
  path: string,
  cacheControl: ChatCacheControl,
): ContentPart {
  if (typeof file.file_id === "string") {
    throw invalidParam(
      `${path}.file.file_id`,
      `Invalid value for '${path}.file.file_id': a file uploaded to OpenAI has no counterpart on other vendors; send it as 'file_data'.`,
    );
  }
  if (typeof file.file_data !== "string") {
    throw invalidParam(`${path}.file`, `Missing required parameter: '${path}.file.file_data'.`);
  }
  const part: CacheablePart = {
    type: "document",
    source: documentSource(file.file_data, file.filename ?? undefined),
  };
  if (typeof file.filename === "string") part.title = file.filename;
  return withCacheControl(part, cacheControl);
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
};

/** `file_data` (a base64 data URL, or bare base64 of the type the file name says) as a source. */
export function documentSource(fileData: string, filename: string | undefined): DocumentSource {
  const dataUrl = /^data:([^;,]+)(?:;[^,]*)?;base64,/.exec(fileData);
  if (dataUrl !== null) {
    return {
      type: "base64",
      mediaType: dataUrl[1] ?? "application/pdf",
      data: fileData.slice(dataUrl[0].length),
    };
  }
  const extension = /\.([a-z0-9]+)$/i.exec(filename ?? "")?.[1]?.toLowerCase() ?? "";
  return { type: "base64", mediaType: MEDIA_TYPES[extension] ?? "application/pdf", data: fileData };
}

/** A data URL -> base64 source; an http(s) URL -> url source; anything else is a 400. */
export function toImageSource(url: string, param: string): ImageSource {
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const header = comma === -1 ? "" : url.slice(5, comma);
    const attributes = header.split(";");
    const mediaType = attributes[0] ?? "";
    if (comma === -1 || !attributes.includes("base64") || !mediaType.includes("/")) {
      throw invalidParam(
        param,
        `Invalid value for '${param}': a data URL must look like 'data:image/png;base64,<data>'.`,
      );
    }
    return { type: "base64", mediaType, data: url.slice(comma + 1) };
  }
  if (/^https?:\/\//i.test(url)) return { type: "url", url };
  throw invalidParam(
    param,
    `Invalid value for '${param}': expected an http(s) URL or a base64 data URL.`,
  );
}
