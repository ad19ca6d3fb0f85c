import type {
  CacheControl,
  ChatMessage,
  ContentPart,
  DocumentSource,
  ImageSource,
} from "../../llm/chat.js";
import type { ContentFeature } from "../../llm/content-features.js";
import { unmappedPart } from "../shared/unmapped-part.js";
import type {
  AnthropicCacheControl,
  AnthropicContentBlock,
  AnthropicDocumentSource,
  AnthropicImageSource,
  AnthropicRequestBody,
  AnthropicTextBlock,
} from "./wire-types.js";

/** What the Messages API carries besides text and images: documents, and media in tool results. */
export const ANTHROPIC_CONTENT: readonly ContentFeature[] = [
  "document",
  "document-url",
  "tool-result-media",
];

/** The API refuses a request with more cache breakpoints than this. */
export const MAX_CACHE_BREAKPOINTS = 4;

export function cacheControl(value: CacheControl | undefined): {
  cache_control?: AnthropicCacheControl;
} {
  if (value === undefined) return {};
  return {
    cache_control:
      value.ttl === undefined ? { type: value.type } : { type: value.type, ttl: value.ttl },
  };
}

/** User content parts -> blocks. The API rejects empty text blocks, so empty text is dropped. */
export function userBlocks(content: string | readonly ContentPart[]): AnthropicContentBlock[] {
  if (typeof content === "string") return textBlocks(content);
  return content.flatMap(partBlocks);
}

function partBlocks(part: ContentPart): AnthropicContentBlock[] {
  switch (part.type) {
    case "text":
      return part.text === ""
        ? []
        : [{ type: "text", text: part.text, ...cacheControl(part.cacheControl) }];
    case "image":
      return [
        { type: "image", source: imageSource(part.source), ...cacheControl(part.cacheControl) },
      ];
    case "document":
      return [
        {
          type: "document",
          source: documentSource(part.source),
          ...(part.title === undefined ? {} : { title: part.title }),
          ...cacheControl(part.cacheControl),
        },
      ];
    case "audio":
      throw unmappedPart(part.type, "anthropic");
  }
}

export function textBlocks(text: string): AnthropicContentBlock[] {
  return text === "" ? [] : [{ type: "text", text }];
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,/;

/** A `data:` URL is sent as a base64 source: the API's URL source only fetches http(s) URLs. */
export function imageSource(source: ImageSource): AnthropicImageSource {
  if (source.type === "base64") {
    return { type: "base64", media_type: source.mediaType, data: source.data };
  }
  const match = DATA_URL.exec(source.url);
  if (match !== null) {
    return { type: "base64", media_type: match[1] ?? "", data: source.url.slice(match[0].length) };
  }
  return { type: "url", url: source.url };
}

/**
 * The API takes PDFs as base64 or URL and plain text as a `text` source: an inline text document
 * (`text/*`) goes as text, decoded when it came base64.
 */
function documentSource(source: DocumentSource): AnthropicDocumentSource {
  switch (source.type) {
    case "url":
      return { type: "url", url: source.url };
    case "text":
      return { type: "text", media_type: "text/plain", data: source.data };
    case "base64":
      return source.mediaType.startsWith("text/")
        ? {
            type: "text",
            media_type: "text/plain",
            data: Buffer.from(source.data, "base64").toString("utf8"),
          }
        : { type: "base64", media_type: source.mediaType, data: source.data };
  }
}

/** A tool message -> a `tool_result` block: its parts as blocks when it has them, else its text. */
export function toolResultBlock(message: ChatMessage & { role: "tool" }): AnthropicContentBlock {
  const content = message.parts === undefined ? message.content : message.parts.flatMap(partBlocks);
  return {
    type: "tool_result",
    tool_use_id: message.toolCallId,
    content,
    ...(message.isError === true ? { is_error: true } : {}),
    ...cacheControl(message.cacheControl),
  };
}

/**
 * System messages -> the `system` field: their text joined with a blank line, or text blocks (one
 * per message) when one marks a cache breakpoint.
 */
export function systemField(
  messages: readonly (ChatMessage & { role: "system" })[],
): string | AnthropicTextBlock[] | undefined {
  if (messages.length === 0) return undefined;
  if (messages.every((message) => message.cacheControl === undefined)) {
    return messages.map((message) => message.content).join("\n\n");
  }
  return messages
    .filter((message) => message.content !== "")
    .map((message) => ({
      type: "text",
      text: message.content,
      ...cacheControl(message.cacheControl),
    }));
}

/**
 * Keeps at most `MAX_CACHE_BREAKPOINTS` breakpoints, the last ones in prompt order (tools, system,
 * messages): the API refuses more, and the later a breakpoint the longer the prefix it caches, so the
 * earliest are the ones whose loss costs least. Mutates the body it is given.
 */
export function limitCacheBreakpoints(body: AnthropicRequestBody): void {
  const marked: { cache_control?: AnthropicCacheControl }[] = [];
  const visit = (item: unknown): void => {
    if (typeof item !== "object" || item === null) return;
    const record = item as { cache_control?: AnthropicCacheControl; content?: unknown };
    if (record.cache_control !== undefined) marked.push(record);
    if (Array.isArray(record.content)) for (const inner of record.content) visit(inner);
  };
  for (const tool of body.tools ?? []) visit(tool);
  if (Array.isArray(body.system)) for (const block of body.system) visit(block);
  for (const message of body.messages) visit(message);
  for (const item of marked.slice(0, Math.max(0, marked.length - MAX_CACHE_BREAKPOINTS))) {
    delete item.cache_control;
  }
}
