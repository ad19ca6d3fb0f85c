import type { ChatProtocol } from "../chat-protocol.js";
import { createChatStreamEncoder } from "./chat-stream-encoder.js";
import { chatWire } from "./chat-wire.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { renderChatResponse } from "./render-chat-response.js";
import { renderError } from "./render-error.js";

/** The Chat Completions format (`POST /v1/chat/completions`). */
export const openAIChatProtocol: ChatProtocol = {
  name: "openai",
  parse: (body) => parseChatRequest(body),
  render: (result, model) => renderChatResponse(result, { model }),
  encoder: (model, includeUsage) => createChatStreamEncoder({ model, includeUsage }),
  renderError: (description) => renderError(description),
  wire: chatWire,
};
