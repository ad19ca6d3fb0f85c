/**
 * Messages content -> unified content: text, image and document blocks with their cache breakpoints,
 * tool results with parts and the error flag, the system prompt, and tool breakpoints.
 *
 * - `cache_control` (with its `ttl`) becomes `cacheControl` on the part, system message, tool or
 *   tool message it marks. A system prompt of blocks becomes one system message per block when any
 *   block is marked (so each keeps its breakpoint), else one message with the texts joined by "\n".
 * - `document` blocks: base64, URL and plain-text sources with their `title`. `citations` and
 *   `context` have no counterpart and are refused (the target protocols' answers cannot carry
 *   citations), which leaves only same-protocol targets.
 * - A `tool_result` keeps its text as `content` (text blocks joined by "\n"); when it holds an image
 *   or a document, or marks a breakpoint inside, it also gets `parts`. `is_error` -> `isError`.
 */
import type {
  ChatMessage,
  ContentPart,
  DocumentSource,
  ImageSource,
  ToolDefinition,
} from "../../../llm/chat.js";
import { toCacheControl, withCacheControl } from "../cache-control.js";
import type { MessagesContentBlock, MessagesRequestBody } from "./messages-request-schema.js";
import { invalidParam } from "./request-error-from-issue.js";

type Block<T extends MessagesContentBlock["type"]> = Extract<MessagesContentBlock, { type: T }>;
type UserBlock = Block<"text"> | Block<"image"> | Block<"document">;
type CacheablePart = Exclude<ContentPart, { type: "audio" }>;

/** The system prompt as unified system messages (none when empty). */
export function toSystemMessages(system: MessagesRequestBody["system"]): ChatMessage[] {
  if (typeof system === "string") return system === "" ? [] : [{ role: "system", content: system }];
  if (!Array.isArray(system) || system.length === 0) return [];
  if (!system.some((block) => toCacheControl(block.cache_control) !== undefined)) {
    return [{ role: "system", content: system.map((block) => block.text).join("\n") }];
  }
  return system.map((block) =>
    withCacheControl<ChatMessage & { role: "system" }>(
      { role: "system", content: block.text },
      block.cache_control,
    ),
  );
}

export function toUserPart(block: UserBlock, path: string): ContentPart {
  switch (block.type) {
    case "text":
      return withCacheControl<CacheablePart>(
        { type: "text", text: block.text },
        block.cache_control,
      );
    case "image":
      return withCacheControl<CacheablePart>(
        { type: "image", source: toImageSource(block.source) },
        block.cache_control,
      );
    case "document":
      return toDocumentPart(block, path);
  }
}

function toDocumentPart(block: Block<"document">, path: string): ContentPart {
  if (block.citations?.enabled === true) {
    throw invalidParam(
      `${path}.citations`,
      "citations have no counterpart outside the Messages API; only a Messages upstream can serve them",
    );
  }
  if (typeof block.context === "string" && block.context !== "") {
    throw invalidParam(
      `${path}.context`,
      "document context has no counterpart outside the Messages API; only a Messages upstream can serve it",
    );
  }
  const part: CacheablePart = { type: "document", source: toDocumentSource(block.source) };
  if (typeof block.title === "string") part.title = block.title;
  return withCacheControl(part, block.cache_control);
}

function toDocumentSource(source: Block<"document">["source"]): DocumentSource {
  switch (source.type) {
    case "base64":
      return { type: "base64", mediaType: source.media_type, data: source.data };
    case "url":
      return { type: "url", url: source.url };
    case "text":
      return { type: "text", mediaType: source.media_type, data: source.data };
  }
}

export function toImageSource(source: Block<"image">["source"]): ImageSource {
  return source.type === "base64"
    ? { type: "base64", mediaType: source.media_type, data: source.data }
    : { type: "url", url: source.url };
}

/** A `tool_result` block -> a tool message (its name from the `tool_use` it answers, when known). */
export function toToolMessage(
  block: Block<"tool_result">,
  path: string,
  toolNames: ReadonlyMap<string, string>,
): ChatMessage {
  const tool: ChatMessage & { role: "tool" } = {
    role: "tool",
    toolCallId: block.tool_use_id,
    content: "",
  };
  if (typeof block.content === "string") tool.content = block.content;
  else if (Array.isArray(block.content)) {
    const parts = block.content.map((inner, index) =>
      toUserPart(inner, `${path}.content.${index}`),
    );
    tool.content = parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n");
    if (parts.some((part) => part.type !== "text" || part.cacheControl !== undefined)) {
      tool.parts = parts;
    }
  }
  const name = toolNames.get(block.tool_use_id);
  if (name !== undefined) tool.name = name;
  if (block.is_error === true) tool.isError = true;
  return withCacheControl(tool, block.cache_control);
}

/** A tool's breakpoint, onto its unified definition. */
export function withToolCacheControl(
  definition: ToolDefinition,
  tool: NonNullable<MessagesRequestBody["tools"]>[number],
): ToolDefinition {
  return withCacheControl(definition, tool.cache_control);
}
