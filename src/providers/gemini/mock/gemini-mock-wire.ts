import type { MockRequestContext, PreparedReply } from "../../../testing/mock-kit/mock-vendor.js";
import { mockReasoningTokens, randomId } from "../../../testing/mock-kit/mock-wire-helpers.js";

/** Shared bits of Gemini's wire format: headers, stream framing, usage metadata. */

export const GEMINI_JSON = "application/json; charset=UTF-8";

export function geminiJsonHeaders(): Record<string, string> {
  return { "content-type": GEMINI_JSON, vary: "Origin, X-Origin, Referer" };
}

/** `streamGenerateContent` answers Server-Sent Events only with `alt=sse`; else one JSON array. */
export function isSse(context: MockRequestContext): boolean {
  return context.query.get("alt") === "sse";
}

export function geminiStreamHeaders(context: MockRequestContext): Record<string, string> {
  if (!isSse(context)) return geminiJsonHeaders();
  return {
    "content-type": "text/event-stream",
    "content-disposition": "attachment",
    vary: "Origin, X-Origin, Referer",
  };
}

/** One element of a stream: an SSE `data:` frame (CRLF line ends), or an element of the JSON array. */
export function geminiStreamItem(
  context: MockRequestContext,
  json: string,
  first: boolean,
): string {
  if (isSse(context)) return `data: ${json}\r\n\r\n`;
  return first ? `[${json}` : `,\r\n${json}`;
}

/** The model the path names, e.g. `gemini-2.5-flash` from `/v1beta/models/gemini-2.5-flash:...`. */
export function geminiModel(reply: PreparedReply | undefined, context: MockRequestContext): string {
  return reply?.model ?? context.params.model ?? "gemini-2.5-flash";
}

export function geminiResponseId(): string {
  return randomId(23);
}

/**
 * Usage metadata. The reply's output tokens include its thinking; Gemini counts thoughts apart, in
 * `thoughtsTokenCount`, so `candidatesTokenCount` is the rest.
 */
export function geminiUsage(reply: PreparedReply, complete: boolean): Record<string, unknown> {
  const { inputTokens, outputTokens, cachedInputTokens } = reply.usage;
  const thoughts = Math.min(outputTokens, mockReasoningTokens(reply));
  const usage: Record<string, unknown> = { promptTokenCount: inputTokens };
  if (complete) usage.candidatesTokenCount = outputTokens - thoughts;
  if (complete && reply.thinking) usage.thoughtsTokenCount = thoughts;
  usage.totalTokenCount = complete ? inputTokens + outputTokens : inputTokens;
  if (cachedInputTokens > 0) usage.cachedContentTokenCount = cachedInputTokens;
  usage.promptTokensDetails = [{ modality: "TEXT", tokenCount: inputTokens }];
  return usage;
}
