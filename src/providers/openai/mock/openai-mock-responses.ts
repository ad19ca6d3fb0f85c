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
  sseFrame,
  stringField,
  unixSeconds,
} from "../../../testing/mock-kit/mock-wire-helpers.js";
import { openaiMockHeaders } from "./openai-mock-headers.js";

/**
 * `POST /v1/responses`: a `response` object, or its event stream (`response.created` ...
 * `response.completed`, each event with `sequence_number`). A `length` finish is an `incomplete`
 * response with `max_output_tokens`, as the vendor answers. A reply's `thinking` is a reasoning
 * item first (its summary the text, its `encrypted_content` the signature), counted in
 * `reasoning_tokens`.
 */
export const openaiMockResponsesHandler: MockRouteHandler = {
  wantsStream: (context) => asRecord(context.body)?.stream === true,
  renderReply,
  renderStream,
  streamHeaders: () => openaiMockHeaders("text/event-stream; charset=utf-8"),
  malformedFrame: () =>
    'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"trunc\n\n',
};

function renderReply(reply: PreparedReply, context: MockRequestContext): RenderedResponse {
  const response = responseObject(reply, context, `resp_${randomHex(48)}`, unixSeconds());
  Object.assign(response, finished(reply), { output: outputItems(reply) });
  return {
    status: 200,
    headers: openaiMockHeaders("application/json"),
    body: JSON.stringify(response),
  };
}

function renderStream(
  reply: PreparedReply,
  context: MockRequestContext,
  terminal: boolean,
): StreamFrame[] {
  const shell = responseObject(reply, context, `resp_${randomHex(48)}`, unixSeconds());
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>, content = false): StreamFrame => ({
    text: sseFrame(JSON.stringify({ type, sequence_number: sequence++, ...fields }), type),
    content,
  });
  const frames: StreamFrame[] = [
    event("response.created", { response: shell }),
    event("response.in_progress", { response: shell }),
  ];
  const all = outputItems(reply);
  const reasoning = all[0]?.type === "reasoning" ? all[0] : undefined;
  if (reasoning) {
    frames.push(
      event("response.output_item.added", {
        output_index: 0,
        item: { ...reasoning, summary: [] },
      }),
    );
    if (terminal)
      frames.push(event("response.output_item.done", { output_index: 0, item: reasoning }));
  }
  const offset = reasoning ? 1 : 0;
  const items = all.slice(offset);
  items.forEach((item, index) => {
    const id = item.id;
    const outputIndex = index + offset;
    if (item.type === "message") {
      frames.push(
        event("response.output_item.added", {
          output_index: outputIndex,
          item: { ...item, status: "in_progress", content: [] },
        }),
        event("response.content_part.added", {
          item_id: id,
          output_index: outputIndex,
          content_index: 0,
          part: textPart(""),
        }),
      );
      for (const delta of reply.textChunks) {
        frames.push(
          event(
            "response.output_text.delta",
            { item_id: id, output_index: outputIndex, content_index: 0, delta, logprobs: [] },
            true,
          ),
        );
      }
      if (!terminal) return;
      frames.push(
        event("response.output_text.done", {
          item_id: id,
          output_index: outputIndex,
          content_index: 0,
          text: reply.text,
          logprobs: [],
        }),
        event("response.content_part.done", {
          item_id: id,
          output_index: outputIndex,
          content_index: 0,
          part: textPart(reply.text),
        }),
        event("response.output_item.done", { output_index: outputIndex, item }),
      );
      return;
    }
    const call = reply.toolCalls[index - (items[0]?.type === "message" ? 1 : 0)];
    frames.push(
      event("response.output_item.added", {
        output_index: outputIndex,
        item: { ...item, arguments: "", status: "in_progress" },
      }),
    );
    for (const delta of call?.argumentChunks ?? []) {
      frames.push(
        event(
          "response.function_call_arguments.delta",
          { item_id: id, output_index: outputIndex, delta },
          true,
        ),
      );
    }
    if (!terminal) return;
    frames.push(
      event("response.function_call_arguments.done", {
        item_id: id,
        output_index: outputIndex,
        name: item.name,
        arguments: item.arguments,
      }),
      event("response.output_item.done", { output_index: outputIndex, item }),
    );
  });
  if (!terminal) return frames;
  const done: Record<string, unknown> = { ...shell, ...finished(reply), output: all };
  const type = done.status === "incomplete" ? "response.incomplete" : "response.completed";
  frames.push(event(type, { response: done }));
  return frames;
}

function responseObject(
  reply: PreparedReply,
  context: MockRequestContext,
  id: string,
  createdAt: number,
): Record<string, unknown> {
  const body = asRecord(context.body) ?? {};
  return {
    id,
    object: "response",
    created_at: createdAt,
    status: "in_progress",
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: reply.model ?? stringField(context.body, "model") ?? "gpt-4o-mini",
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
    ...(typeof body.user === "string" ? { user: body.user } : {}),
    metadata: body.metadata ?? {},
  };
}

function finished(reply: PreparedReply): Record<string, unknown> {
  const reason =
    reply.finishReason === "length"
      ? "max_output_tokens"
      : reply.finishReason === "content_filter"
        ? "content_filter"
        : undefined;
  const { inputTokens, outputTokens, cachedInputTokens } = reply.usage;
  return {
    status: reason ? "incomplete" : "completed",
    completed_at: reason ? null : unixSeconds(),
    incomplete_details: reason ? { reason } : null,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: cachedInputTokens, cache_write_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: mockReasoningTokens(reply) },
      total_tokens: inputTokens + outputTokens,
    },
  };
}

type OutputItem = Record<string, unknown> & { id: string; type: string };

function outputItems(reply: PreparedReply): OutputItem[] {
  const items: OutputItem[] = [];
  if (reply.thinking) {
    items.push({
      type: "reasoning",
      id: `rs_${randomHex(48)}`,
      summary: [{ type: "summary_text", text: reply.thinking.text }],
      encrypted_content: reply.thinking.signature,
    });
  }
  if (reply.text.length > 0 || reply.toolCalls.length === 0) {
    items.push({
      type: "message",
      id: `msg_${randomHex(48)}`,
      status: "completed",
      role: "assistant",
      content: [textPart(reply.text)],
    });
  }
  for (const call of reply.toolCalls) {
    items.push({
      type: "function_call",
      id: `fc_${randomHex(48)}`,
      call_id: call.id ?? `call_${randomHex(24)}`,
      name: call.name,
      arguments: call.arguments,
      status: "completed",
    });
  }
  return items;
}

function textPart(text: string): Record<string, unknown> {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

/** The Responses API's in-stream error: an `error` event. */
export function renderResponsesErrorEvent(fields: {
  code: string | null;
  message: string;
  param: string | null;
}): string {
  return sseFrame(JSON.stringify({ type: "error", sequence_number: 0, ...fields }), "error");
}
