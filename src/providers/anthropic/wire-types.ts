/**
 * The parts of the Messages API wire format (`POST /v1/messages`) this adapter writes. Responses are
 * read as `unknown` and narrowed field by field, so only the request side is typed here.
 */

export type AnthropicImageSource =
  | { type: "base64"; media_type: string; data: string }
  | { type: "url"; url: string };

export type AnthropicContentBlock =
  | { type: "text"; text: string }
  | { type: "image"; source: AnthropicImageSource }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "tool_result"; tool_use_id: string; content: string }
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
  system?: string;
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
