import { asRecord } from "../../../testing/mock-kit/mock-wire-helpers.js";

const USER_BLOCKS = new Set(["text", "image", "document", "tool_result", "search_result"]);
const TOOL_RESULT_BLOCKS = new Set(["text", "image", "document", "search_result"]);
const ASSISTANT_BLOCKS = new Set([
  "text",
  "tool_use",
  "thinking",
  "redacted_thinking",
  "server_tool_use",
  "web_search_tool_result",
]);
const MAX_CACHE_BREAKPOINTS = 4;
const CACHE_TTLS = new Set(["5m", "1h"]);

/**
 * The checks the Messages API makes on content before answering, as far as a translating client can
 * get them wrong: block types per role, document and image sources, tool result content, and cache
 * breakpoints (type, ttl, at most four). The message, as the API words it, or `undefined`.
 */
export function checkAnthropicContent(body: unknown): string | undefined {
  const request = asRecord(body);
  if (request === undefined) return undefined;
  const marks: string[] = [];
  const problems: string[] = [];
  const mark = (block: Record<string, unknown>, path: string): void => {
    if (block.cache_control === undefined) return;
    const control = asRecord(block.cache_control);
    if (control?.type !== "ephemeral")
      problems.push(`${path}.cache_control.type: Input should be 'ephemeral'`);
    else if (control.ttl !== undefined && !CACHE_TTLS.has(String(control.ttl))) {
      problems.push(`${path}.cache_control.ttl: Input should be '5m' or '1h'`);
    }
    marks.push(path);
  };
  if (Array.isArray(request.tools)) {
    request.tools.forEach((tool, index) => {
      const record = asRecord(tool);
      if (record) mark(record, `tools.${index}`);
    });
  }
  if (Array.isArray(request.system)) {
    request.system.forEach((block, index) => {
      const record = asRecord(block);
      if (record?.type !== "text") problems.push(`system.${index}.type: Input should be 'text'`);
      else mark(record, `system.${index}`);
    });
  }
  const messages = Array.isArray(request.messages) ? request.messages : [];
  messages.forEach((message, index) => {
    const record = asRecord(message);
    if (!Array.isArray(record?.content)) return;
    const allowed = record.role === "assistant" ? ASSISTANT_BLOCKS : USER_BLOCKS;
    record.content.forEach((block, blockIndex) => {
      checkBlock(
        asRecord(block),
        `messages.${index}.content.${blockIndex}`,
        allowed,
        problems,
        mark,
      );
    });
  });
  if (marks.length > MAX_CACHE_BREAKPOINTS) {
    problems.push(
      `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${marks.length}.`,
    );
  }
  return problems[0];
}

function checkBlock(
  block: Record<string, unknown> | undefined,
  path: string,
  allowed: ReadonlySet<string>,
  problems: string[],
  mark: (block: Record<string, unknown>, path: string) => void,
): void {
  if (block === undefined) return;
  const type = String(block.type);
  if (!allowed.has(type)) {
    problems.push(
      `${path}.type: Input tag '${type}' found using 'type' does not match any of the expected tags`,
    );
    return;
  }
  mark(block, path);
  if (type === "document") checkDocument(asRecord(block.source), `${path}.source`, problems);
  if (type === "image") checkImage(asRecord(block.source), `${path}.source`, problems);
  if (type === "tool_result" && Array.isArray(block.content)) {
    block.content.forEach((inner, index) => {
      checkBlock(asRecord(inner), `${path}.content.${index}`, TOOL_RESULT_BLOCKS, problems, mark);
    });
  }
}

function checkDocument(
  source: Record<string, unknown> | undefined,
  path: string,
  problems: string[],
): void {
  switch (source?.type) {
    case "base64":
      if (source.media_type !== "application/pdf") {
        problems.push(`${path}.base64.media_type: Input should be 'application/pdf'`);
      }
      return;
    case "text":
      if (source.media_type !== "text/plain") {
        problems.push(`${path}.text.media_type: Input should be 'text/plain'`);
      }
      return;
    case "url":
      if (!/^https?:\/\//.test(String(source.url))) problems.push(`${path}.url.url: invalid URL`);
      return;
    case "content":
    case "file":
      return;
    default:
      problems.push(
        `${path}: Input tag '${String(source?.type)}' found using 'type' does not match any of the expected tags`,
      );
  }
}

function checkImage(
  source: Record<string, unknown> | undefined,
  path: string,
  problems: string[],
): void {
  if (source?.type === "base64" && !String(source.media_type).startsWith("image/")) {
    problems.push(`${path}.base64.media_type: Input should be an image type`);
  } else if (source?.type === "url" && !/^https?:\/\//.test(String(source.url))) {
    problems.push(`${path}.url.url: invalid URL`);
  }
}
