export {
  type GeminiSchemaFormat,
  stripSchemaDialect,
  toOpenApiSchema,
} from "./convert-json-schema.js";
export {
  createGeminiProvider,
  GEMINI_BASE_URL,
  type GeminiProviderOptions,
} from "./create-gemini-provider.js";
export { GEMINI_CONTENT } from "./map-content.js";
export {
  mapGeminiEmbeddingsRequest,
  mapGeminiEmbeddingsResponse,
} from "./map-embeddings.js";
export {
  type ClassifyGeminiErrorOptions,
  classifyGeminiError,
  type MapGeminiErrorOptions,
  mapGeminiError,
} from "./map-error.js";
export { mapGeminiModels } from "./map-models.js";
export {
  type MapGeminiRequestOptions,
  mapGeminiRequest,
  modelName,
  modelPath,
} from "./map-request.js";
export { type MapGeminiResponseOptions, mapGeminiResponse } from "./map-response.js";
export { type MapGeminiStreamOptions, mapGeminiStream } from "./map-stream.js";
