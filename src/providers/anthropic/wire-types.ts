/**
 * The parts of the Messages API wire format (`POST /v1/messages`) this adapter writes. Responses are
 * read as `unknown` and narrowed field by field, so only the request side is typed here.
 */

export type AnthropicImageSource =
  | { type: "base64"; media_type: string; data: string }
  | { type: "url"; url: string };

export type AnthropicDocumentSource =
  | { type: "base64"; media_type: string; data: string }
  | { type: "url"; url: string }
  | { type: "text"; media_type: "text/plain"; data: string };

export interface AnthropicCacheControl {
  type: "ephemeral";
  ttl?: string;
}

export interface AnthropicTextBlock {
  type: "text";
  text: string;
  cache_control?: AnthropicCacheControl;
}

export type AnthropicContentBlock =
  | AnthropicTextBlock
  | { type: "image"; source: AnthropicImageSource; cache_control?: AnthropicCacheControl }
  | {
      type: "document";
      source: AnthropicDocumentSource;
      title?: string;
      cache_control?: AnthropicCacheControl;
    }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | {
      type: "tool_result";
      tool_use_id: string;
      content: string | AnthropicContentBlock[];
      is_error?: boolean;
      cache_control?: AnthropicCacheControl;
    }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string };

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: string | AnthropicContentBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  strict?: boolean;
  cache_control?: AnthropicCacheControl;
}

export type AnthropicToolChoice =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export interface AnthropicRequestBody {
  model: string;
  messages: AnthropicMessage[];
  max_tokens: number;
  system?: string | AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  metadata?: { user_id: string };
  output_config?: {
    format?: { type: "json_schema"; schema: Record<string, unknown> };
    /** Adaptive thinking's effort (`low`, `medium`, `high`, `max`). */
    effort?: string;
  };
  thinking?:
    | { type: "enabled"; budget_tokens: number }
    | { type: "adaptive"; display?: string }
    | { type: "disabled" };
  stream?: boolean;
  /** Whatever `providerOptions.anthropic` adds (`top_k`, `thinking`, ...). */
  [field: string]: unknown;
}
