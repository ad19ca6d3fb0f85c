export {
  createOpenAIProvider,
  OPENAI_BASE_URL,
  type OpenAIProviderOptions,
} from "./create-openai-provider.js";
export {
  createOpenAIWireProvider,
  type OpenAIWirePaths,
  type OpenAIWireSettings,
} from "./create-openai-wire-provider.js";
export { classifyOpenAIError, mapError, mapStreamError, rateLimitWaitMs } from "./map-error.js";
export { mapChatRequest, mapEmbeddingsRequest, type RequestMappingOptions } from "./map-request.js";
export {
  mapChatResponse,
  mapEmbeddingsResponse,
  mapFinishReason,
  mapModelsResponse,
  mapUsage,
} from "./map-response.js";
export { mapStream } from "./map-stream.js";
