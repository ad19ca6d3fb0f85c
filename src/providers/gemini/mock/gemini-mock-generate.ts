import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
  StreamFrame,
} from "../../../testing/mock-kit/mock-vendor.js";
import { asRecord } from "../../../testing/mock-kit/mock-wire-helpers.js";
import {
  geminiJsonHeaders,
  geminiModel,
  geminiResponseId,
  geminiStreamHeaders,
  geminiStreamItem,
  geminiUsage,
  isSse,
} from "./gemini-mock-wire.js";

const FINISH_REASONS = {
  stop: "STOP",
  length: "MAX_TOKENS",
  tool_calls: "STOP",
  content_filter: "SAFETY",
} as const;

const BLOCKED_RATINGS = [
  { category: "HARM_CATEGORY_HATE_SPEECH", probability: "NEGLIGIBLE" },
  { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true },
  { category: "HARM_CATEGORY_HARASSMENT", probability: "NEGLIGIBLE" },
  { category: "HARM_CATEGORY_SEXUALLY_EXPLICIT", probability: "NEGLIGIBLE" },
];

/** `POST /v1beta/models/{model}:generateContent`: one `GenerateContentResponse`. */
export const geminiGenerateHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply,
};

/**
 * `POST /v1beta/models/{model}:streamGenerateContent`: partial `GenerateContentResponse`s, as SSE
 * with `alt=sse` (what the SDKs ask for) or as one streamed JSON array. Text streams in pieces,
 * each function call whole; the last piece carries `finishReason` and the full usage. A reply's
 * thinking comes first as a thought (when asked for) and signs the first answer part.
 */
export const geminiStreamHandler: MockRouteHandler = {
  wantsStream: () => true,
  renderReply,
  renderStream,
  streamHeaders: geminiStreamHeaders,
  malformedFrame: (context) =>
    isSse(context)
      ? 'data: {"candidates":[{"content":{"parts":[{"text":"trunc\r\n\r\n'
      : ',\r\n{"candidates":[{"content":{"parts":[{"text":"trunc',
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const parts: Record<string, unknown>[] = [];
  if (reply.text.length > 0 || reply.toolCalls.length === 0) parts.push({ text: reply.text });
  for (const call of reply.toolCalls) parts.push(functionCallPart(call));
  signFirstPart(reply, parts);
  parts.unshift(...thoughtParts(reply, context));
  const body = response(reply, context, parts, true, geminiResponseId());
  return { status: 200, headers: geminiJsonHeaders(), body: JSON.stringify(body) };
}

function renderStream(
  reply: PreparedReply,
  context: MockRequestContext,
  terminal: boolean,
): StreamFrame[] {
  const pieces: Record<string, unknown>[][] = reply.textChunks.map((text) => [{ text }]);
  for (const call of reply.toolCalls) pieces.push([functionCallPart(call)]);
  if (pieces.length === 0 && terminal) pieces.push([{ text: "" }]);
  const signed = reply.toolCalls.length > 0 ? pieces[reply.textChunks.length] : pieces[0];
  if (signed !== undefined) signFirstPart(reply, signed);
  const thoughts = thoughtParts(reply, context);
  if (thoughts.length > 0) pieces.unshift(thoughts);
  const responseId = geminiResponseId();
  const frames = pieces.map((parts, index) => {
    const last = terminal && index === pieces.length - 1;
    const json = JSON.stringify(response(reply, context, parts, last, responseId));
    const content = !(thoughts.length > 0 && index === 0);
    return { text: geminiStreamItem(context, json, index === 0), content };
  });
  if (terminal && !isSse(context)) frames.push({ text: "]", content: false });
  return frames;
}

function response(
  reply: PreparedReply,
  context: MockRequestContext,
  parts: unknown[],
  complete: boolean,
  responseId: string,
): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts, role: "model" } };
  if (complete) {
    candidate.finishReason = reply.rawFinishReason ?? FINISH_REASONS[reply.finishReason];
    if (reply.finishReason === "content_filter") candidate.safetyRatings = BLOCKED_RATINGS;
  }
  candidate.index = 0;
  return {
    candidates: [candidate],
    usageMetadata: geminiUsage(reply, complete),
    modelVersion: geminiModel(reply, context),
    responseId,
  };
}

/**
 * A reply's thinking as a thought part, returned only when the request asked for thoughts
 * (`generationConfig.thinkingConfig.includeThoughts`), as Gemini does.
 */
function thoughtParts(
  reply: PreparedReply,
  context: MockRequestContext,
): Record<string, unknown>[] {
  const config = asRecord(asRecord(asRecord(context.body)?.generationConfig)?.thinkingConfig);
  if (!reply.thinking || config?.includeThoughts !== true) return [];
  return [{ text: reply.thinking.text, thought: true }];
}

/** The thinking's signature on the answer's first function call, else on its first text part. */
function signFirstPart(reply: PreparedReply, parts: Record<string, unknown>[]): void {
  const signed = parts.find((part) => part.functionCall !== undefined) ?? parts[0];
  if (reply.thinking && signed !== undefined) signed.thoughtSignature = reply.thinking.signature;
}

function functionCallPart(call: PreparedReply["toolCalls"][number]): Record<string, unknown> {
  const functionCall: Record<string, unknown> = { name: call.name, args: call.input };
  if (call.id !== undefined) functionCall.id = call.id;
  return { functionCall };
}

/** Gemini's answer to a blocked prompt: a 200 with `promptFeedback` and no candidates. */
export function renderBlockedPrompt(context: MockRequestContext): RenderedResponse {
  const body = JSON.stringify({
    promptFeedback: { blockReason: "SAFETY", safetyRatings: BLOCKED_RATINGS },
    usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 },
    modelVersion: geminiModel(undefined, context),
    responseId: geminiResponseId(),
  });
  if (context.route !== "gemini.stream") {
    return { status: 200, headers: geminiJsonHeaders(), body };
  }
  const text = isSse(context) ? geminiStreamItem(context, body, true) : `[${body}]`;
  return { status: 200, headers: geminiStreamHeaders(context), body: text };
}
