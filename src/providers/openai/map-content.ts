import type { ChatMessage, ContentPart, DocumentSource } from "../../llm/chat.js";
import type { ContentFeature } from "../../llm/content-features.js";
import { unmappedPart } from "../shared/unmapped-part.js";

/**
 * What Chat Completions carries besides text and images: files inline (`file_data`; a URL has no
 * place in a `file` part), audio (`input_audio`), and media from tool results (as a user message,
 * see `chatToolMessages`).
 */
export const OPENAI_CHAT_CONTENT: readonly ContentFeature[] = [
  "document",
  "audio",
  "tool-result-media",
];

/** What the Responses API carries: `input_file` inline or by URL, and media in tool outputs. */
export const OPENAI_RESPONSES_CONTENT: readonly ContentFeature[] = [
  "document",
  "document-url",
  "tool-result-media",
];

/**
 * An OpenAI-compatible server may not read files or audio; it gets images from tool results only
 * (as a user message, which any server with vision reads).
 */
export const COMPATIBLE_CONTENT: readonly ContentFeature[] = ["tool-result-media"];

/** `cacheControl` is dropped everywhere here: OpenAI caches prompt prefixes automatically. */
export function chatPart(part: ContentPart, adapterType: string): Record<string, unknown> {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "image": {
      const url = imageUrl(part.source);
      return {
        type: "image_url",
        image_url: part.detail === undefined ? { url } : { url, detail: part.detail },
      };
    }
    case "document":
      return chatDocument(part.source, part.title, adapterType);
    case "audio":
      return { type: "input_audio", input_audio: { data: part.data, format: part.format } };
  }
}

function imageUrl(
  source: { type: "url"; url: string } | { type: "base64"; mediaType: string; data: string },
): string {
  return source.type === "url" ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

/** A plain-text document has no file form worth sending: its text goes as a text part. */
function chatDocument(
  source: DocumentSource,
  title: string | undefined,
  adapterType: string,
): Record<string, unknown> {
  if (source.type === "url") throw unmappedPart("document (URL)", adapterType);
  if (source.type === "text") return { type: "text", text: source.data };
  return {
    type: "file",
    file: {
      filename: title ?? defaultFilename(source.mediaType),
      file_data: `data:${source.mediaType};base64,${source.data}`,
    },
  };
}

function defaultFilename(mediaType: string): string {
  return mediaType === "application/pdf" ? "document.pdf" : "document";
}

/** The text a tool result without an error flag on the wire is given when it failed. */
export function toolResultText(message: ChatMessage & { role: "tool" }): string {
  return message.isError === true ? `Error: ${message.content}` : message.content;
}

/**
 * Unified messages -> Chat Completions messages. A tool message takes text only, so a tool result's
 * images and documents follow the run of tool messages they belong to as one user message, each
 * introduced by a text part naming its tool call ("Attachments of the result of tool call <id>:").
 * The run is not broken because the API wants every tool call answered right after the assistant
 * message that made it. A failed result (`isError`) gets an "Error: " prefix.
 */
export function chatMessages(
  messages: readonly ChatMessage[],
  mapMessage: (message: ChatMessage) => Record<string, unknown>,
  adapterType: string,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let attachments: Record<string, unknown>[] = [];
  const flush = (): void => {
    if (attachments.length > 0) out.push({ role: "user", content: attachments });
    attachments = [];
  };
  for (const message of messages) {
    if (message.role !== "tool") {
      flush();
      out.push(mapMessage(message));
      continue;
    }
    const media = (message.parts ?? []).filter((part) => part.type !== "text");
    out.push({ role: "tool", tool_call_id: message.toolCallId, content: toolResultText(message) });
    if (media.length > 0) {
      attachments.push({
        type: "text",
        text: `Attachments of the result of tool call ${message.toolCallId}:`,
      });
      for (const part of media) attachments.push(chatPart(part, adapterType));
    }
  }
  flush();
  return out;
}

/** A unified part -> a Responses input content part. */
export function responsesPart(part: ContentPart, adapterType: string): Record<string, unknown> {
  switch (part.type) {
    case "text":
      return { type: "input_text", text: part.text };
    case "image":
      return {
        type: "input_image",
        image_url: imageUrl(part.source),
        detail: part.detail ?? "auto",
      };
    case "document":
      return responsesDocument(part.source, part.title);
    case "audio":
      throw unmappedPart(part.type, adapterType);
  }
}

function responsesDocument(
  source: DocumentSource,
  title: string | undefined,
): Record<string, unknown> {
  if (source.type === "url") return { type: "input_file", file_url: source.url };
  if (source.type === "text") return { type: "input_text", text: source.data };
  return {
    type: "input_file",
    filename: title ?? defaultFilename(source.mediaType),
    file_data: `data:${source.mediaType};base64,${source.data}`,
  };
}

/** A tool message -> `function_call_output`: its parts as input content when it has media. */
export function responsesToolOutput(
  message: ChatMessage & { role: "tool" },
  adapterType: string,
): Record<string, unknown> {
  const media = message.parts?.some((part) => part.type !== "text") === true;
  const output = media
    ? [
        ...(message.isError === true ? [{ type: "input_text", text: "Error:" }] : []),
        ...(message.parts ?? []).map((part) => responsesPart(part, adapterType)),
      ]
    : toolResultText(message);
  return { type: "function_call_output", call_id: message.toolCallId, output };
}
