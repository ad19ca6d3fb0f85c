export {
  type AnthropicProviderOptions,
  createAnthropicProvider,
} from "./create-anthropic-provider.js";
export { ANTHROPIC_CONTENT } from "./map-content.js";
export { mapError } from "./map-error.js";
export { type MapRequestOptions, mapRequest } from "./map-request.js";
export { mapResponse } from "./map-response.js";
export { type MapStreamOptions, MessagesEventReader, mapStream } from "./map-stream.js";
