import type { MockRouteHandler } from "../../../testing/mock-kit/mock-vendor.js";
import { asRecord } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { anthropicMockHeaders } from "./anthropic-mock-headers.js";

/**
 * `POST /v1/messages/count_tokens`: `{ "input_tokens": N }`, N being `reply.usage.inputTokens` when
 * the behaviour gives it, else a quarter of the characters of the system prompt, messages and tools.
 */
export const anthropicCountTokensHandler: MockRouteHandler = {
  wantsStream: () => false,
  renderReply(reply, context) {
    const body = asRecord(context.body) ?? {};
    const counted = JSON.stringify([body.system, body.messages, body.tools]).length;
    const inputTokens = reply.inputTokensGiven
      ? reply.usage.inputTokens
      : Math.max(1, Math.ceil(counted / 4));
    return {
      status: 200,
      headers: anthropicMockHeaders("application/json"),
      body: JSON.stringify({ input_tokens: inputTokens }),
    };
  },
};
