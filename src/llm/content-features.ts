import type { ChatMessage, ChatRequest, ContentPart } from "./chat.js";

/**
 * Content beyond text and images that not every adapter can send. An adapter lists the ones it can
 * (`LlmProvider.acceptedContent`); a translated request using any other is not sent to it.
 * - `document`: a document inline (base64 or plain text);
 * - `document-url`: a document by URL;
 * - `audio`: an audio part;
 * - `tool-result-media`: images or documents inside a tool result.
 */
export type ContentFeature = "document" | "document-url" | "audio" | "tool-result-media";

/** Every content feature, for adapters that can send them all. */
export const ALL_CONTENT_FEATURES: readonly ContentFeature[] = [
  "document",
  "document-url",
  "audio",
  "tool-result-media",
];

/** What each feature is, in words a client reads in an ineligibility reason. */
export const CONTENT_FEATURE_NAMES: Readonly<Record<ContentFeature, string>> = {
  document: "documents",
  "document-url": "documents by URL",
  audio: "audio input",
  "tool-result-media": "images or documents in tool results",
};

/** The content features a request uses, in the order of `ALL_CONTENT_FEATURES`. */
export function contentFeatures(request: ChatRequest): ContentFeature[] {
  const used = new Set<ContentFeature>();
  for (const message of request.messages) collect(message, used);
  return ALL_CONTENT_FEATURES.filter((feature) => used.has(feature));
}

function collect(message: ChatMessage, used: Set<ContentFeature>): void {
  if (message.role === "user" && typeof message.content !== "string") {
    for (const part of message.content) collectPart(part, used);
  } else if (message.role === "tool" && message.parts !== undefined) {
    for (const part of message.parts) {
      if (part.type === "text") continue;
      used.add("tool-result-media");
      collectPart(part, used);
    }
  }
}

function collectPart(part: ContentPart, used: Set<ContentFeature>): void {
  if (part.type === "audio") used.add("audio");
  else if (part.type === "document") {
    used.add(part.source.type === "url" ? "document-url" : "document");
  }
}
