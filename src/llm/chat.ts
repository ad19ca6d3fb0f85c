/** The unified chat model: one request shape every adapter accepts, one result shape each returns. */

export type ImageSource =
  | { type: "url"; url: string }
  | { type: "base64"; mediaType: string; data: string };

/**
 * An explicit prompt-cache breakpoint (Anthropic `cache_control`, Bedrock `cachePoint`): the prompt up
 * to and including the marked item is cached. Targets without an explicit cache ignore it.
 */
export interface CacheControl {
  type: "ephemeral";
  /** How long the entry lives, where the vendor lets the caller choose (`5m`, `1h`). */
  ttl?: string;
}

/** A document's bytes or text: a PDF or plain text, inline or by URL. */
export type DocumentSource =
  | { type: "base64"; mediaType: string; data: string }
  | { type: "url"; url: string }
  | { type: "text"; mediaType: string; data: string };

export type ContentPart =
  | { type: "text"; text: string; cacheControl?: CacheControl }
  | {
      type: "image";
      source: ImageSource;
      detail?: "auto" | "low" | "high";
      cacheControl?: CacheControl;
    }
  | {
      type: "document";
      source: DocumentSource;
      /** The file name or title, where the client gave one. */
      title?: string;
      cacheControl?: CacheControl;
    }
  | { type: "audio"; format: string; data: string };

/**
 * A model's reasoning from an earlier turn, kept so it can be sent back. `origin` is the wire family
 * that produced it (`anthropic`, `openai`, `gemini`): a signature or encrypted reasoning can be
 * replayed only to the same family; for any other target the block is left out and the omission is
 * recorded in the trace.
 */
export interface ReasoningPart {
  type: "reasoning";
  origin: string;
  /** The reasoning text (a summary on some vendors); empty when the vendor sent only opaque data. */
  text: string;
  /** The vendor's signature over `text` (Anthropic thinking, Gemini thought signatures). */
  signature?: string;
  /** Opaque reasoning the vendor encrypted or redacted (Anthropic `redacted_thinking`, OpenAI `encrypted_content`). */
  opaque?: string;
  /** The vendor's id for the reasoning (OpenAI Responses `rs_...` items), needed to replay it. */
  id?: string;
}

/** How much the model should reason before answering, in the request's own terms. */
export interface ReasoningRequest {
  /** An effort level (`minimal`, `low`, `medium`, `high`; `none` turns reasoning off). */
  effort?: string;
  /** A token budget for reasoning (Anthropic `thinking.budget_tokens`, Gemini `thinkingBudget`). */
  budgetTokens?: number;
  /** Whether the answer should include the reasoning (or a summary) where the vendor returns it. */
  includeThoughts?: boolean;
}

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
}

export type ChatMessage =
  | { role: "system"; content: string; cacheControl?: CacheControl }
  | { role: "user"; content: string | ContentPart[] }
  | {
      role: "assistant";
      content: string | null;
      toolCalls?: ToolCall[];
      /** Reasoning that came before this answer, in order. */
      reasoning?: ReasoningPart[];
    }
  | {
      role: "tool";
      toolCallId: string;
      content: string;
      /** The result as parts (text, images, documents), when it is more than text. */
      parts?: ContentPart[];
      name?: string;
      isError?: boolean;
      cacheControl?: CacheControl;
    };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: CacheControl;
}

export type ToolChoice = "auto" | "none" | "required" | { name: string };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json" }
  | {
      type: "json_schema";
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict?: boolean;
    };

/**
 * Vendor-specific fields, namespaced by adapter type (`openai`, `anthropic`, `gemini`,
 * `openai-compatible`): `{ anthropic: { top_k: 5 } }` reaches only the Anthropic adapter, which
 * merges it into its wire body.
 */
export type ProviderOptions = Record<string, Record<string, unknown>>;

export interface ChatRequest {
  /** The vendor's model name (the gateway rewrites a logical model to each target's name). */
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  user?: string;
  reasoning?: ReasoningRequest;
  providerOptions?: ProviderOptions;
  /**
   * The client's own request body in its wire protocol, for a same-protocol pass-through: an adapter
   * whose wire protocol is `wire.protocol` sends this body as it came (with its own model) instead of
   * rendering the fields above, and relays the answer as sent (`ChatResult.wireBody`,
   * `wire-event` stream parts).
   */
  wire?: WireRequest;
}

/** A client's request body, to be forwarded unchanged apart from `model` and per-target additions. */
export interface WireRequest {
  /** The wire protocol of the body (a `ChatProtocol` name, e.g. the Chat Completions format). */
  protocol: string;
  body: Readonly<Record<string, unknown>>;
  /** Whether the client asked for a stream. */
  stream: boolean;
  /** The client's vendor headers this target may receive (an allowlist; never credentials). */
  headers: Readonly<Record<string, string>>;
}

/** Why generation stopped, normalised across vendors. The vendor's own value stays beside it. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the vendor's prompt cache (counted within `inputTokens`). */
  cachedInputTokens: number;
  /** Input tokens written to the vendor's prompt cache (counted within `inputTokens`), where reported. */
  cacheWriteTokens?: number;
  /** Output tokens spent on reasoning (counted within `outputTokens`), where reported. */
  reasoningTokens?: number;
  totalTokens: number;
}

export interface ChatResult {
  id: string;
  /** The model that answered, as the vendor named it. */
  model: string;
  /** The adapter type that answered (`openai`, `anthropic`, ...). */
  adapterType: string;
  text: string;
  toolCalls: ToolCall[];
  /** The reasoning the vendor returned before the answer, in order. */
  reasoning?: ReasoningPart[];
  finishReason: FinishReason;
  rawFinishReason: string | null;
  usage: Usage | undefined;
  /** On a same-protocol pass-through: the upstream's answer body, exactly as it came. */
  wireBody?: string;
}
