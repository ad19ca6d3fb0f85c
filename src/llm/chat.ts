/** The unified chat model: one request shape every adapter accepts, one result shape each returns. */

export type ImageSource =
  | { type: "url"; url: string }
  | { type: "base64"; mediaType: string; data: string };

export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image"; source: ImageSource; detail?: "auto" | "low" | "high" };

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | ContentPart[] }
  | { role: "assistant"; content: string | null; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; content: string; name?: string };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  strict?: boolean;
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
  finishReason: FinishReason;
  rawFinishReason: string | null;
  usage: Usage | undefined;
  /** On a same-protocol pass-through: the upstream's answer body, exactly as it came. */
  wireBody?: string;
}
