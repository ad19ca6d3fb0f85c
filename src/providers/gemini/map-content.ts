import type { ChatMessage, ContentPart, DocumentSource } from "../../llm/chat.js";
import { ALL_CONTENT_FEATURES, type ContentFeature } from "../../llm/content-features.js";
import { asRecord, type JsonRecord } from "../shared/json-fields.js";

/**
 * Gemini reads documents (inline or by URL), audio, and images and documents inside function
 * responses (`functionResponse.parts`). Cache breakpoints are dropped: Gemini caches implicitly.
 */
export const GEMINI_CONTENT: readonly ContentFeature[] = ALL_CONTENT_FEATURES;

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/**
 * A part -> a Gemini part. Images and documents: base64 -> `inlineData`; `data:` URLs are decoded to
 * `inlineData` too; other URLs -> `fileData` (Gemini fetches public or signed HTTPS URLs itself, and
 * takes Files API / GCS URIs), with a MIME type guessed from the extension since a bare URL carries
 * none. Plain-text documents go as `inlineData` `text/plain`; audio as `inlineData` `audio/<format>`.
 */
export function geminiPart(part: ContentPart): JsonRecord {
  switch (part.type) {
    case "text":
      return { text: part.text };
    case "image":
      return part.source.type === "base64"
        ? inline(part.source.mediaType, part.source.data)
        : byUrl(part.source.url, guessImageMimeType(part.source.url));
    case "document":
      return documentPart(part.source);
    case "audio":
      return inline(`audio/${part.format}`, part.data);
  }
}

function documentPart(source: DocumentSource): JsonRecord {
  switch (source.type) {
    case "base64":
      return inline(source.mediaType, source.data);
    case "text":
      return inline("text/plain", Buffer.from(source.data, "utf8").toString("base64"));
    case "url":
      return byUrl(source.url, "application/pdf");
  }
}

function inline(mimeType: string, data: string): JsonRecord {
  return { inlineData: { mimeType, data } };
}

function byUrl(url: string, mimeType: string): JsonRecord {
  const dataUrl = DATA_URL.exec(url);
  if (dataUrl !== null) return inline(dataUrl[1] ?? "", dataUrl[2] ?? "");
  return { fileData: { mimeType, fileUri: url } };
}

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
};

export function guessImageMimeType(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? "";
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? "";
  return IMAGE_TYPES[extension] ?? "image/jpeg";
}

/**
 * A tool message -> a `functionResponse` part. The result text goes in `response` (a JSON object as
 * is, anything else under `output`, or under `error` when the result is a failure, as Gemini's
 * convention has it); images and documents go in `functionResponse.parts`.
 */
export function functionResponsePart(
  message: ChatMessage & { role: "tool" },
  name: string,
): JsonRecord {
  const functionResponse: JsonRecord = {
    name,
    response: toResponseObject(message.content, message.isError === true),
  };
  const media = (message.parts ?? []).filter((part) => part.type !== "text");
  if (media.length > 0) functionResponse.parts = media.map(geminiPart);
  return { functionResponse };
}

function toResponseObject(content: string, isError: boolean): JsonRecord {
  let parsed: unknown = content;
  try {
    parsed = JSON.parse(content);
  } catch {
    // Plain text result.
  }
  if (isError) return { error: parsed };
  return asRecord(parsed) ?? { output: parsed };
}
