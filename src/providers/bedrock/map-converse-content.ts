import { ProviderError } from "../../errors/provider-error.js";
import type {
  CacheControl,
  ChatMessage,
  ContentPart,
  DocumentSource,
  ImageSource,
  ReasoningPart,
} from "../../llm/chat.js";
import { unmappedPart } from "../shared/unmapped-part.js";

/** A Converse content block (the subset a unified request produces). */
export type ConverseBlock =
  | { text: string }
  | { image: { format: string; source: { bytes: string } } }
  | { document: { format: string; name: string; source: { bytes: string } | { text: string } } }
  | { cachePoint: { type: "default"; ttl?: string } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | {
      toolResult: {
        toolUseId: string;
        content: ConverseBlock[];
        status?: "error";
      };
    }
  | {
      reasoningContent:
        | { reasoningText: { text: string; signature?: string } }
        | { redactedContent: string };
    };

const IMAGE_FORMATS: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/** Converse's document formats, by media type. */
const DOCUMENT_FORMATS: Readonly<Record<string, string>> = {
  "application/pdf": "pdf",
  "text/csv": "csv",
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "text/html": "html",
  "text/plain": "txt",
  "text/markdown": "md",
};

/** `cachePoint` after a marked item: the prompt up to it is cached (`ttl` `5m` or `1h` as given). */
export function cachePointAfter(cacheControl: CacheControl | undefined): ConverseBlock[] {
  if (cacheControl === undefined) return [];
  return [
    {
      cachePoint: {
        type: "default",
        ...(cacheControl.ttl === undefined ? {} : { ttl: cacheControl.ttl }),
      },
    },
  ];
}

/** A user or tool-result content part -> its Converse block, with a cache point after it if marked. */
export function partBlocks(part: ContentPart, provider: string): ConverseBlock[] {
  switch (part.type) {
    case "text":
      return [{ text: part.text }, ...cachePointAfter(part.cacheControl)];
    case "image":
      return [imageBlock(part.source, provider), ...cachePointAfter(part.cacheControl)];
    case "document":
      return [documentBlock(part, provider), ...cachePointAfter(part.cacheControl)];
    default:
      throw unmappedPart(part.type, "bedrock");
  }
}

/** A tool's answer: its parts (or text) as `toolResult` content, `status: error` when it failed. */
export function toolResultBlocks(
  message: Extract<ChatMessage, { role: "tool" }>,
  provider: string,
): ConverseBlock[] {
  const content =
    message.parts === undefined
      ? [{ text: message.content }]
      : message.parts.flatMap((part) =>
          // A cache point belongs after the whole result, not inside it.
          partBlocks({ ...part, cacheControl: undefined } as ContentPart, provider),
        );
  return [
    {
      toolResult: {
        toolUseId: message.toolCallId,
        content,
        ...(message.isError === true ? { status: "error" as const } : {}),
      },
    },
    ...cachePointAfter(message.cacheControl),
  ];
}

/**
 * Earlier reasoning as `reasoningContent` blocks, for the family that produced it only (`origin`):
 * signed text as `reasoningText`, redacted reasoning as `redactedContent`. Other families' reasoning
 * cannot be replayed and is left out.
 */
export function reasoningBlocks(parts: readonly ReasoningPart[], origin: string): ConverseBlock[] {
  return parts
    .filter((part) => part.origin === origin)
    .map((part) =>
      part.opaque !== undefined
        ? { reasoningContent: { redactedContent: part.opaque } }
        : {
            reasoningContent: {
              reasoningText: {
                text: part.text,
                ...(part.signature === undefined ? {} : { signature: part.signature }),
              },
            },
          },
    );
}

function imageBlock(source: ImageSource, provider: string): ConverseBlock {
  const { mediaType, data } = inlineBytes(source, provider, "images");
  const format = IMAGE_FORMATS[mediaType.toLowerCase()];
  if (format === undefined) throw invalid(provider, `Converse takes no ${mediaType} images`);
  return { image: { format, source: { bytes: data } } };
}

function documentBlock(
  part: Extract<ContentPart, { type: "document" }>,
  provider: string,
): ConverseBlock {
  const source: DocumentSource = part.source;
  const name = documentName(part.title);
  if (source.type === "text") {
    const format = DOCUMENT_FORMATS[source.mediaType.toLowerCase()] ?? "txt";
    return { document: { format, name, source: { text: source.data } } };
  }
  const { mediaType, data } = inlineBytes(source, provider, "documents");
  const format = DOCUMENT_FORMATS[mediaType.toLowerCase()];
  if (format === undefined) throw invalid(provider, `Converse takes no ${mediaType} documents`);
  return { document: { format, name, source: { bytes: data } } };
}

/**
 * A document name as Bedrock accepts it: letters, digits, single spaces, hyphens, parentheses and
 * square brackets. Anything else becomes a hyphen (`report.pdf` -> `report-pdf`); no title, or
 * nothing left, is `document`.
 */
export function documentName(title: string | undefined): string {
  const name = (title ?? "")
    .replace(/[^A-Za-z0-9\s\-()[\]]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return name === "" ? "document" : name;
}

/** Base64 bytes and media type of an inline source; Converse fetches no URLs. */
function inlineBytes(
  source: ImageSource | DocumentSource,
  provider: string,
  what: string,
): { mediaType: string; data: string } {
  if (source.type === "base64") return { mediaType: source.mediaType, data: source.data };
  if (source.type === "text") return { mediaType: source.mediaType, data: source.data };
  const inline = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (inline === null) throw invalid(provider, `Converse takes inline ${what} only, not URLs`);
  return { mediaType: inline[1] ?? "", data: inline[2] ?? "" };
}

export function invalid(provider: string, problem: string): ProviderError {
  return new ProviderError(`${provider}: ${problem}`, { kind: "invalid_request", provider });
}
