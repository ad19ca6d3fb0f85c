/** The Chat Completions / Embeddings / Models wire formats the gateway speaks to its clients. */
export {
  type ChatStreamEncoder,
  type ChatStreamEncoderOptions,
  createChatStreamEncoder,
} from "./chat-stream-encoder.js";
export {
  OPENAI_EXTRAS_KEY,
  type ParsedChatRequest,
  parseChatRequest,
} from "./parse-chat-request.js";
export {
  type EmbeddingEncodingFormat,
  type ParsedEmbeddingsRequest,
  parseEmbeddingsRequest,
} from "./parse-embeddings-request.js";
export {
  type ChatCompletion,
  type RenderChatResponseOptions,
  renderChatResponse,
} from "./render-chat-response.js";
export {
  type EmbeddingsList,
  encodeFloat32Base64,
  type RenderEmbeddingsOptions,
  renderEmbeddingsResponse,
} from "./render-embeddings-response.js";
export {
  type OpenAIErrorBody,
  type OpenAIErrorObject,
  openAIErrorObject,
  type RenderErrorOptions,
  type RenderedOpenAIError,
  renderError,
} from "./render-error.js";
export {
  type ModelEntry,
  type ModelsList,
  type RenderModelsOptions,
  renderModels,
} from "./render-models.js";
