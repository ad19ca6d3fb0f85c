/**
 * A gateway error description as the Chat Completions API's error shape:
 * `{ "error": { "message", "type", "param", "code" } }`, with the status and retry headers to send.
 * `type` follows the vendor's values (`invalid_request_error`, `requests` for rate limits,
 * `server_error` for 5xx); the vendor's SDK picks its error class from the status alone.
 * The attempt list of a failed failover rides along as `error.attempts` unless disabled.
 */
import {
  errorHeaders,
  type GatewayAttemptSummary,
  type GatewayErrorDescription,
} from "../../error-response.js";

export interface OpenAIErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  attempts?: GatewayAttemptSummary[];
}

export interface OpenAIErrorBody {
  error: OpenAIErrorObject;
}

export interface RenderErrorOptions {
  /** Include the per-provider attempt list of a failed failover. Default true. */
  includeAttempts?: boolean;
}

export interface RenderedOpenAIError {
  status: number;
  headers: Record<string, string>;
  body: OpenAIErrorBody;
}

export function renderError(
  description: GatewayErrorDescription,
  options: RenderErrorOptions = {},
): RenderedOpenAIError {
  return {
    status: description.status,
    headers: errorHeaders(description),
    body: { error: openAIErrorObject(description, options) },
  };
}

/** The inner `error` object alone, as a stream's error event carries it. */
export function openAIErrorObject(
  description: GatewayErrorDescription,
  options: RenderErrorOptions = {},
): OpenAIErrorObject {
  const error: OpenAIErrorObject = {
    message: description.message,
    type: errorType(description),
    param: description.param ?? null,
    code: description.code ?? null,
  };
  if (description.attempts !== undefined && options.includeAttempts !== false) {
    error.attempts = description.attempts;
  }
  return error;
}

function errorType(description: GatewayErrorDescription): string {
  if (description.category === "rate_limited") return "requests";
  return description.status >= 500 ? "server_error" : "invalid_request_error";
}
