import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
  StreamFrame,
} from "../../../testing/mock-kit/mock-vendor.js";
import {
  asRecord,
  mockReasoningTokens,
  randomHex,
  randomId,
  sseFrame,
  stringField,
  unixSeconds,
} from "../../../testing/mock-kit/mock-wire-helpers.js";
import { openaiMockHeaders } from "./openai-mock-headers.js";

const FINISH_REASONS = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  content_filter: "content_filter",
} as const;

/**
 * `POST /v1/chat/completions`: a `chat.completion`, or `chat.completion.chunk` events. A reply's
 * `thinking` is the message's `reasoning_content` (streamed before the content), counted in
 * `completion_tokens_details.reasoning_tokens`.
 */
export const openaiMockChatHandler: MockRouteHandler = {
  wantsStream: (context) => asRecord(context.body)?.stream === true,
  renderReply,
  renderStream,
  streamHeaders: () => openaiMockHeaders("text/event-stream; charset=utf-8"),
  malformedFrame: () =>
    'data: {"id":"chatcmpl-malformed","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"trunc\n\n',
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const toolCalls = reply.toolCalls.map((call) => ({
    id: call.id ?? `call_${randomId(24)}`,
    type: "function",
    function: { name: call.name, arguments: call.arguments },
  }));
  const message: Record<string, unknown> = {
    role: "assistant",
    content: reply.text.length === 0 && toolCalls.length > 0 ? null : reply.text,
    refusal: null,
    annotations: [],
  };
  // Reasoning as DeepSeek-style servers return it (OpenAI's own models keep theirs hidden).
  if (reply.thinking) message.reasoning_content = reply.thinking.text;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const completion = {
    id: `chatcmpl-${randomId(29)}`,
    object: "chat.completion",
    created: unixSeconds(),
    model: modelOf(reply, context),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(reply) }],
    usage: usageOf(reply),
    service_tier: "default",
    system_fingerprint: `fp_${randomHex(10)}`,
  };
  return {
    status: 200,
    headers: openaiMockHeaders("application/json"),
    body: JSON.stringify(completion),
  };
}

function renderStream(
  reply: PreparedReply,
  context: MockRequestContext,
  terminal: boolean,
): StreamFrame[] {
  const includeUsage = asRecord(asRecord(context.body)?.stream_options)?.include_usage === true;
  const id = `chatcmpl-${randomId(29)}`;
  const created = unixSeconds();
  const model = modelOf(reply, context);
  const fingerprint = `fp_${randomHex(10)}`;
  const chunk = (choices: unknown[], usage?: unknown): string => {
    const body: Record<string, unknown> = {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      service_tier: "default",
      system_fingerprint: fingerprint,
      choices,
    };
    if (includeUsage) body.usage = usage ?? null;
    return sseFrame(JSON.stringify(body));
  };
  const delta = (value: Record<string, unknown>, finish: string | null = null): string =>
    chunk([{ index: 0, delta: value, logprobs: null, finish_reason: finish }]);

  const textFirst = reply.text.length > 0 || reply.toolCalls.length === 0;
  const frames: StreamFrame[] = [
    {
      text: delta({ role: "assistant", content: textFirst ? "" : null, refusal: null }),
      content: false,
    },
  ];
  if (reply.thinking) {
    frames.push({ text: delta({ reasoning_content: reply.thinking.text }), content: false });
  }
  for (const piece of reply.textChunks)
    frames.push({ text: delta({ content: piece }), content: true });
  reply.toolCalls.forEach((call, index) => {
    const start = {
      index,
      id: call.id ?? `call_${randomId(24)}`,
      type: "function",
      function: { name: call.name, arguments: "" },
    };
    frames.push({ text: delta({ tool_calls: [start] }), content: false });
    for (const piece of call.argumentChunks) {
      const argumentsDelta = { index, function: { arguments: piece } };
      frames.push({ text: delta({ tool_calls: [argumentsDelta] }), content: true });
    }
  });
  if (!terminal) return frames;
  frames.push({ text: delta({}, finishReason(reply)), content: false });
  if (includeUsage) frames.push({ text: chunk([], usageOf(reply)), content: false });
  frames.push({ text: "data: [DONE]\n\n", content: false });
  return frames;
}

function modelOf(reply: PreparedReply, context: MockRequestContext): string {
  return reply.model ?? stringField(context.body, "model") ?? "gpt-4o-mini";
}

function finishReason(reply: PreparedReply): string {
  return reply.rawFinishReason ?? FINISH_REASONS[reply.finishReason];
}

function usageOf(reply: PreparedReply): Record<string, unknown> {
  const { inputTokens, outputTokens, cachedInputTokens } = reply.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
    prompt_tokens_details: { cached_tokens: cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: mockReasoningTokens(reply),
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
