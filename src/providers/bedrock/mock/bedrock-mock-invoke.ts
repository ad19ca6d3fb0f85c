import type {
  MockRequestContext,
  MockRouteHandler,
  PreparedReply,
  RenderedResponse,
  StreamFrame,
} from "../../../testing/mock-kit/mock-vendor.js";
import { asRecord } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { anthropicMessagesHandler } from "../../anthropic/mock/anthropic-mock-messages.js";
import { bedrockError } from "./bedrock-mock-errors.js";
import { bedrockEventFrame, bedrockRequestId } from "./bedrock-mock-frames.js";

const STREAM_ROUTE = "bedrock.invoke-with-response-stream";

/** The request as the Anthropic mock expects it: the model (from the path) and `stream` in the body. */
function nativeView(context: MockRequestContext): MockRequestContext {
  const body = asRecord(context.body) ?? {};
  return {
    ...context,
    route: "anthropic.messages",
    body: { ...body, model: context.params.model, stream: context.route === STREAM_ROUTE },
  };
}

/**
 * Refuses an InvokeModel body Claude on Bedrock refuses, with Bedrock's wording: a model that is not
 * Anthropic's (the mock serves no other family here), no `anthropic_version: bedrock-2023-05-31`,
 * a `model` or `stream` key (Bedrock takes both from the path), an `anthropic_beta` that is no list.
 */
export function checkInvokeBody(context: MockRequestContext): RenderedResponse | undefined {
  if (!context.route.startsWith("bedrock.invoke")) return undefined;
  if (!/(?:^|[./])anthropic\./.test(context.params.model ?? "")) {
    return malformed("this mock serves InvokeModel for Anthropic models only");
  }
  const body = asRecord(context.body);
  if (body === undefined) return malformed("#: expected type: JSONObject");
  if (body.anthropic_version === undefined) {
    return malformed("#: required key [anthropic_version] not found");
  }
  if (body.anthropic_version !== "bedrock-2023-05-31") {
    return malformed(
      `#/anthropic_version: ${String(body.anthropic_version)} is not a valid enum value`,
    );
  }
  for (const key of ["model", "stream"]) {
    if (key in body) return malformed(`#: extraneous key [${key}] is not permitted`);
  }
  const betas = body.anthropic_beta;
  if (betas !== undefined && !(Array.isArray(betas) && betas.every((b) => typeof b === "string"))) {
    return malformed("#/anthropic_beta: expected type: JSONArray");
  }
  return undefined;
}

function malformed(problem: string): RenderedResponse {
  return bedrockError(
    400,
    "ValidationException",
    `Malformed input request: ${problem}, please reformat your input and try again.`,
  );
}

/** Bedrock's per-invocation metrics, added to the last event of a stream. */
function invocationMetrics(reply: PreparedReply): Record<string, number> {
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens } = reply.usage;
  return {
    inputTokenCount: inputTokens - cachedInputTokens - cacheWriteTokens,
    outputTokenCount: outputTokens,
    invocationLatency: 12,
    firstByteLatency: 5,
    cacheReadInputTokenCount: cachedInputTokens,
    cacheWriteInputTokenCount: cacheWriteTokens,
  };
}

/** One Anthropic stream event as a Bedrock `chunk` event: its JSON, base64, in `bytes`. */
function chunkFrame(json: string): string {
  return bedrockEventFrame(
    { ":event-type": "chunk", ":content-type": "application/json", ":message-type": "event" },
    JSON.stringify({ bytes: Buffer.from(json, "utf8").toString("base64") }),
  );
}

/** The data of an SSE frame the Anthropic mock rendered (`event: x\ndata: {...}\n\n`). */
function frameData(text: string): string {
  return /^data: (.*)$/m.exec(text)?.[1] ?? "";
}

/**
 * `POST /model/{modelId}/invoke` and `/invoke-with-response-stream` for Claude: the Anthropic mock's
 * message, or its events each wrapped in a `chunk` event, the last one with Bedrock's
 * `amazon-bedrock-invocationMetrics`.
 */
export const bedrockInvokeHandler: MockRouteHandler = {
  wantsStream: (context) => context.route === STREAM_ROUTE,
  renderReply(reply, context): RenderedResponse {
    const native = anthropicMessagesHandler.renderReply(reply, nativeView(context));
    const metrics = invocationMetrics(reply);
    return {
      status: native.status,
      headers: {
        "content-type": "application/json",
        "x-amzn-requestid": bedrockRequestId(),
        "x-amzn-bedrock-input-token-count": String(metrics.inputTokenCount),
        "x-amzn-bedrock-output-token-count": String(metrics.outputTokenCount),
        "x-amzn-bedrock-invocation-latency": String(metrics.invocationLatency),
      },
      body: native.body,
    };
  },
  renderStream(reply, context, terminal): StreamFrame[] {
    const frames = anthropicMessagesHandler.renderStream?.(reply, nativeView(context), terminal);
    return (frames ?? []).map((frame) => {
      let data = frameData(frame.text);
      if (data.startsWith('{"type":"message_stop"')) {
        const event = JSON.parse(data) as Record<string, unknown>;
        event["amazon-bedrock-invocationMetrics"] = invocationMetrics(reply);
        data = JSON.stringify(event);
      }
      return { text: chunkFrame(data), content: frame.content };
    });
  },
  streamHeaders: () => ({
    "content-type": "application/vnd.amazon.eventstream",
    "x-amzn-requestid": bedrockRequestId(),
    "x-amzn-bedrock-content-type": "application/json",
  }),
  malformedFrame: () => chunkFrame('{"type":"content_block_delta","index":0,"delta":{"ty'),
  streamEncoding: "latin1",
};
