import type { ChatProtocol } from "../chat-protocol.js";
import { createMessagesStreamEncoder } from "./messages-stream-encoder.js";
import { messagesWire } from "./messages-wire.js";
import { parseMessagesRequest } from "./parse-messages-request.js";
import { renderError } from "./render-error.js";
import { renderMessagesResponse } from "./render-messages-response.js";

/** The Messages format (`POST /v1/messages`). Usage is always part of its stream. */
export const anthropicChatProtocol: ChatProtocol = {
  name: "anthropic",
  parse: (body) => {
    const parsed = parseMessagesRequest(body);
    return parsed.ok ? { ok: true, value: { ...parsed.value, includeUsage: true } } : parsed;
  },
  render: (result, model) => renderMessagesResponse(result, { model }),
  encoder: (model) => createMessagesStreamEncoder({ model }),
  renderError: (description) => renderError(description),
  wire: messagesWire,
};
