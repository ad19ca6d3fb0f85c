export {
  createVertexProvider,
  type VertexProviderOptions,
  type VertexPublisher,
  vertexModel,
} from "./create-vertex-provider.js";
export {
  applicationDefaultTokenSource,
  CLOUD_PLATFORM_SCOPE,
  type GoogleTokenSource,
  serviceAccountTokenSource,
  signServiceAccountJwt,
} from "./google-token-source.js";
export { mapPredictEmbeddings } from "./map-predict-embeddings.js";
export { VERTEX_ANTHROPIC_VERSION } from "./raw-predict-wire.js";
