export type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  ContentPart,
  FinishReason,
  ImageSource,
  ProviderOptions,
  ResponseFormat,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  Usage,
} from "./chat.js";
export type { EmbeddingsRequest, EmbeddingsResult } from "./embeddings.js";
export type { LlmProvider, ModelInfo } from "./llm-provider.js";
export type { ChatStreamPart } from "./stream-part.js";
