/** The Messages API wire format the gateway speaks to its clients. */
export {
  createMessagesStreamEncoder,
  type MessagesStreamEncoder,
  type MessagesStreamEncoderOptions,
} from "./messages-stream-encoder.js";
export {
  ANTHROPIC_EXTRAS_KEY,
  type ParsedMessagesRequest,
  parseMessagesRequest,
} from "./parse-messages-request.js";
export {
  type AnthropicErrorBody,
  type AnthropicErrorObject,
  anthropicErrorBody,
  type RenderErrorOptions,
  type RenderedAnthropicError,
  renderError,
} from "./render-error.js";
export {
  type AnthropicMessage,
  type RenderMessagesResponseOptions,
  renderMessagesResponse,
} from "./render-messages-response.js";
