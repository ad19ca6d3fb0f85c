import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
  StreamFrame,
} from "../../../testing/mock-kit/mock-vendor.js";
import {
  asRecord,
  randomId,
  sseFrame,
  stringField,
} from "../../../testing/mock-kit/mock-wire-helpers.js";
import { anthropicMockHeaders } from "./anthropic-mock-headers.js";

const STOP_REASONS = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "refusal",
} as const;

/** `POST /v1/messages`: a `message`, or the `message_start` ... `message_stop` event sequence. */
export const anthropicMessagesHandler: MockRouteHandler = {
  wantsStream: (context) => asRecord(context.body)?.stream === true,
  renderReply,
  renderStream,
  streamHeaders: () => ({
    ...anthropicMockHeaders("text/event-stream; charset=utf-8"),
    "cache-control": "no-cache",
  }),
  malformedFrame: () =>
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"trunc\n\n',
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const content: unknown[] = [];
  if (reply.thinking) {
    content.push({
      type: "thinking",
      thinking: reply.thinking.text,
      signature: reply.thinking.signature,
    });
  }
  if (hasTextBlock(reply)) content.push({ type: "text", text: reply.text });
  for (const call of reply.toolCalls) {
    content.push({ type: "tool_use", id: toolId(call.id), name: call.name, input: call.input });
  }
  const message = {
    ...messageHead(reply, context),
    content,
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: usageOf(reply, reply.usage.outputTokens),
  };
  return {
    status: 200,
    headers: anthropicMockHeaders("application/json"),
    body: JSON.stringify(message),
  };
}

function renderStream(
  reply: PreparedReply,
  context: MockRequestContext,
  terminal: boolean,
): StreamFrame[] {
  const frames: StreamFrame[] = [];
  const event = (type: string, data: Record<string, unknown>, content = false): void => {
    frames.push({ text: sseFrame(JSON.stringify({ type, ...data }), type), content });
  };
  event("message_start", {
    message: {
      ...messageHead(reply, context),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usageOf(reply, 1),
    },
  });
  let index = 0;
  const blockStops: number[] = [];
  const closePrevious = (): void => {
    const previous = blockStops.pop();
    if (previous !== undefined) event("content_block_stop", { index: previous });
  };
  if (reply.thinking) {
    const { text, signature } = reply.thinking;
    event("content_block_start", {
      index,
      content_block: { type: "thinking", thinking: "", signature: "" },
    });
    event("content_block_delta", { index, delta: { type: "thinking_delta", thinking: text } });
    event("content_block_delta", { index, delta: { type: "signature_delta", signature } });
    blockStops.push(index++);
  }
  if (hasTextBlock(reply)) {
    closePrevious();
    event("content_block_start", { index, content_block: { type: "text", text: "" } });
    event("ping", {});
    for (const piece of reply.textChunks) {
      event("content_block_delta", { index, delta: { type: "text_delta", text: piece } }, true);
    }
    blockStops.push(index++);
  }
  for (const call of reply.toolCalls) {
    closePrevious();
    const block = { type: "tool_use", id: toolId(call.id), name: call.name, input: {} };
    event("content_block_start", { index, content_block: block });
    if (index === 0) event("ping", {});
    for (const piece of call.argumentChunks) {
      const delta = { type: "input_json_delta", partial_json: piece };
      event("content_block_delta", { index, delta }, true);
    }
    blockStops.push(index++);
  }
  if (!terminal) return frames;
  closePrevious();
  event("message_delta", {
    delta: { stop_reason: stopReason(reply), stop_sequence: null },
    usage: { output_tokens: reply.usage.outputTokens },
  });
  event("message_stop", {});
  return frames;
}

function messageHead(reply: PreparedReply, context: MockRequestContext): Record<string, unknown> {
  return {
    id: `msg_01${randomId(22)}`,
    type: "message",
    role: "assistant",
    model: reply.model ?? stringField(context.body, "model") ?? "claude-sonnet-4-6",
  };
}

/** A text block when there is text, or when there is nothing else to say. */
function hasTextBlock(reply: PreparedReply): boolean {
  return reply.text.length > 0 || reply.toolCalls.length === 0;
}

function toolId(id: string | undefined): string {
  return id ?? `toolu_01${randomId(22)}`;
}

function stopReason(reply: PreparedReply): string {
  return reply.rawFinishReason ?? STOP_REASONS[reply.finishReason];
}

/** Anthropic counts cache reads and writes apart from `input_tokens`. */
function usageOf(reply: PreparedReply, outputTokens: number): Record<string, unknown> {
  const { inputTokens, cachedInputTokens, cacheWriteTokens } = reply.usage;
  return {
    input_tokens: Math.max(0, inputTokens - cachedInputTokens - cacheWriteTokens),
    cache_creation_input_tokens: cacheWriteTokens,
    cache_read_input_tokens: cachedInputTokens,
    output_tokens: outputTokens,
    service_tier: "standard",
  };
}
