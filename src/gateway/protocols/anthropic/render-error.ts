/**
 * A gateway error description as the Messages API's error shape:
 * `{ "type": "error", "error": { "type", "message" } }`, with the status and retry headers to send.
 * The error type follows the vendor's table by status (400 invalid_request_error, 401
 * authentication_error, 403 permission_error, 404 not_found_error, 413 request_too_large, 429
 * rate_limit_error, 503 overloaded_error, other 5xx api_error). The gateway's machine code and the
 * attempt list of a failed failover ride along in `error.details` (`error_code`, `attempts`).
 */
import {
  errorHeaders,
  type GatewayAttemptSummary,
  type GatewayErrorDescription,
} from "../../error-response.js";

export interface AnthropicErrorObject {
  type: string;
  message: string;
  details?: { error_code?: string; attempts?: GatewayAttemptSummary[] };
}

export interface AnthropicErrorBody {
  type: "error";
  error: AnthropicErrorObject;
}

export interface RenderErrorOptions {
  /** Include the per-provider attempt list of a failed failover. Default true. */
  includeAttempts?: boolean;
}

export interface RenderedAnthropicError {
  status: number;
  headers: Record<string, string>;
  body: AnthropicErrorBody;
}

export function renderError(
  description: GatewayErrorDescription,
  options: RenderErrorOptions = {},
): RenderedAnthropicError {
  return {
    status: description.status,
    headers: errorHeaders(description),
    body: anthropicErrorBody(description, options),
  };
}

export function anthropicErrorBody(
  description: GatewayErrorDescription,
  options: RenderErrorOptions = {},
): AnthropicErrorBody {
  const error: AnthropicErrorObject = {
    type: anthropicErrorType(description.status),
    message: description.message,
  };
  const withAttempts = description.attempts !== undefined && options.includeAttempts !== false;
  if (description.code !== undefined || withAttempts) {
    error.details = {};
    if (description.code !== undefined) error.details.error_code = description.code;
    if (withAttempts) error.details.attempts = description.attempts;
  }
  return { type: "error", error };
}

export function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
  }
  return status >= 500 ? "api_error" : "invalid_request_error";
}
