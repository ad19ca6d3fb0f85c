export type {
  CacheControl,
  ChatMessage,
  ChatRequest,
  ChatResult,
  ContentPart,
  DocumentSource,
  FinishReason,
  ImageSource,
  ProviderOptions,
  ReasoningPart,
  ReasoningRequest,
  ResponseFormat,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  Usage,
} from "./chat.js";
export type { ContentFeature } from "./content-features.js";
export type { EmbeddingsRequest, EmbeddingsResult } from "./embeddings.js";
export type { LlmProvider, ModelInfo } from "./llm-provider.js";
export type { ChatStreamPart } from "./stream-part.js";
