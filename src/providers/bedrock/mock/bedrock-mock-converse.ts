import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
  StreamFrame,
} from "../../../testing/mock-kit/mock-vendor.js";
import { randomId } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { bedrockEvent, bedrockEventFrame, bedrockRequestId } from "./bedrock-mock-frames.js";

const STOP_REASONS: Record<PreparedReply["finishReason"], string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "content_filtered",
};

function stopReason(reply: PreparedReply): string {
  return reply.rawFinishReason ?? STOP_REASONS[reply.finishReason];
}

/** Converse's usage: `inputTokens` excludes cache reads and writes, reported apart. */
function usage(reply: PreparedReply): Record<string, number> {
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens } = reply.usage;
  return {
    inputTokens: inputTokens - cachedInputTokens - cacheWriteTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    cacheReadInputTokens: cachedInputTokens,
    cacheWriteInputTokens: cacheWriteTokens,
  };
}

const toolUseId = (id: string | undefined) => id ?? `tooluse_${randomId(22)}`;

/** `POST /model/{modelId}/converse` and `/converse-stream`. */
export const bedrockConverseHandler: MockRouteHandler = {
  wantsStream: (context) => context.route === "bedrock.converse-stream",
  renderReply(reply: PreparedReply): RenderedResponse {
    const content: unknown[] = [];
    if (reply.thinking) {
      const { text, signature } = reply.thinking;
      content.push({ reasoningContent: { reasoningText: { text, signature } } });
    }
    if (reply.text !== "") content.push({ text: reply.text });
    for (const call of reply.toolCalls) {
      content.push({
        toolUse: { toolUseId: toolUseId(call.id), name: call.name, input: call.input },
      });
    }
    return {
      status: 200,
      headers: { "content-type": "application/json", "x-amzn-requestid": bedrockRequestId() },
      body: JSON.stringify({
        output: { message: { role: "assistant", content } },
        stopReason: stopReason(reply),
        usage: usage(reply),
        metrics: { latencyMs: 1 },
      }),
    };
  },
  renderStream(
    reply: PreparedReply,
    _context: MockRequestContext,
    terminal: boolean,
  ): StreamFrame[] {
    const frames: StreamFrame[] = [
      { text: bedrockEvent("messageStart", { role: "assistant" }), content: false },
    ];
    let block = 0;
    if (reply.thinking) {
      const { text, signature } = reply.thinking;
      for (const reasoningContent of [{ text }, { signature }]) {
        frames.push({
          text: bedrockEvent("contentBlockDelta", {
            contentBlockIndex: block,
            delta: { reasoningContent },
          }),
          content: true,
        });
      }
      frames.push({
        text: bedrockEvent("contentBlockStop", { contentBlockIndex: block }),
        content: false,
      });
      block += 1;
    }
    if (reply.textChunks.length > 0) {
      for (const text of reply.textChunks) {
        frames.push({
          text: bedrockEvent("contentBlockDelta", { contentBlockIndex: block, delta: { text } }),
          content: true,
        });
      }
      frames.push({
        text: bedrockEvent("contentBlockStop", { contentBlockIndex: block }),
        content: false,
      });
      block += 1;
    }
    for (const call of reply.toolCalls) {
      const start = { toolUse: { toolUseId: toolUseId(call.id), name: call.name } };
      frames.push({
        text: bedrockEvent("contentBlockStart", { contentBlockIndex: block, start }),
        content: false,
      });
      for (const input of call.argumentChunks) {
        frames.push({
          text: bedrockEvent("contentBlockDelta", {
            contentBlockIndex: block,
            delta: { toolUse: { input } },
          }),
          content: true,
        });
      }
      frames.push({
        text: bedrockEvent("contentBlockStop", { contentBlockIndex: block }),
        content: false,
      });
      block += 1;
    }
    if (!terminal) return frames;
    frames.push(
      { text: bedrockEvent("messageStop", { stopReason: stopReason(reply) }), content: false },
      {
        text: bedrockEvent("metadata", { usage: usage(reply), metrics: { latencyMs: 1 } }),
        content: false,
      },
    );
    return frames;
  },
  streamHeaders: () => ({
    "content-type": "application/vnd.amazon.eventstream",
    "x-amzn-requestid": bedrockRequestId(),
  }),
  malformedFrame: () =>
    bedrockEventFrame(
      {
        ":event-type": "contentBlockDelta",
        ":content-type": "application/json",
        ":message-type": "event",
      },
      "{",
    ),
  streamEncoding: "latin1",
};

const DEFAULT_MODELS = [
  "anthropic.claude-sonnet-4-5-20250929-v1:0",
  "amazon.nova-pro-v1:0",
  "meta.llama3-3-70b-instruct-v1:0",
];

/** `GET /foundation-models` (the control plane's model listing). */
export const bedrockModelsHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply(reply: PreparedReply): RenderedResponse {
    const modelSummaries = (reply.models ?? DEFAULT_MODELS).map((modelId) => ({
      modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${modelId}`,
      modelId,
      modelName: modelId,
      providerName: modelId.split(".")[0] ?? "",
      inputModalities: ["TEXT"],
      outputModalities: ["TEXT"],
      responseStreamingSupported: true,
    }));
    return {
      status: 200,
      headers: { "content-type": "application/json", "x-amzn-requestid": bedrockRequestId() },
      body: JSON.stringify({ modelSummaries }),
    };
  },
};
