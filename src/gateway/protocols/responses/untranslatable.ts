/** Errors that name what only a Responses upstream can take (the body itself is well formed). */
import { GatewayRequestError } from "../gateway-request-error.js";
import { invalidParam } from "../openai/request-error-from-issue.js";

const UNTRANSLATABLE = new WeakSet<GatewayRequestError>();

/**
 * Whether an error names something only a Responses upstream can take (the body is not malformed).
 */
export function isUntranslatable(error: unknown): error is GatewayRequestError {
  return error instanceof GatewayRequestError && UNTRANSLATABLE.has(error);
}

export function untranslatable(param: string, message: string): GatewayRequestError {
  const error = invalidParam(param, message);
  UNTRANSLATABLE.add(error);
  return error;
}
