import { kindOfStatus } from "../../engine/classify-error.js";
import type { ErrorKind } from "../../errors/error-kind.js";
import { isRecord, readRecord, readString } from "../shared/json-fields.js";

/** What an error body (`{"type":"error","error":{...}}`) or a stream `error` event says. */
export interface AnthropicErrorInfo {
  /** `error.type`: `rate_limit_error`, `overloaded_error`, ... */
  type: string | undefined;
  message: string | undefined;
  /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
  errorCode: string | undefined;
}

/** Reads an error payload; anything unreadable (an HTML proxy page, say) gives undefined fields. */
export function readErrorInfo(payload: unknown): AnthropicErrorInfo {
  const error = isRecord(payload) ? readRecord(payload, "error") : undefined;
  if (error === undefined) return { type: undefined, message: undefined, errorCode: undefined };
  const details = readRecord(error, "details");
  return {
    type: readString(error, "type"),
    message: readString(error, "message"),
    errorCode: details === undefined ? undefined : readString(details, "error_code"),
  };
}

/** Spend caps (tier cap, contract, linked organisation): out until a date, not for a minute. */
const SPEND_LIMIT_CODES = new Set([
  "enforced_spend_limit_reached",
  "contract_spend_limit_reached",
  "linked_organization_spend_limit_reached",
  "linked_organization_billing_unavailable",
]);

/** Billing wording the API uses on 400/429: credit balance too low, a spend limit you set. */
const QUOTA_MESSAGE =
  /credit balance is too low|spend limit|reached your (?:specified )?(?:workspace )?api usage limits/i;

/** Too much input for this model: "prompt is too long: 208310 tokens > 200000 maximum", ... */
const CONTEXT_MESSAGE = /prompt is too long|exceed context limit|context window/i;

/** A refusal by the safety system: "Output blocked by content filtering policy". */
const CONTENT_FILTER_MESSAGE = /content filtering policy/i;

/** Types whose messages may be about billing (never the server-fault types). */
const CLIENT_TYPES = new Set(["invalid_request_error", "rate_limit_error", "permission_error"]);

/**
 * The Anthropic classification table. The body decides where it is specific; the HTTP status
 * decides otherwise (`status` is undefined for a stream `error` event, which then reads as `unknown`
 * when its type is unknown too).
 */
export function classifyError(status: number | undefined, info: AnthropicErrorInfo): ErrorKind {
  const { type, message = "", errorCode } = info;
  if (errorCode !== undefined && SPEND_LIMIT_CODES.has(errorCode)) return "quota_exhausted";
  if (type === "billing_error") return "quota_exhausted";
  const clientFault =
    (type !== undefined && CLIENT_TYPES.has(type)) ||
    (type === undefined && status !== undefined && status >= 400 && status < 500);
  if (clientFault && QUOTA_MESSAGE.test(message)) return "quota_exhausted";
  switch (type) {
    case "rate_limit_error":
      return "rate_limited";
    case "authentication_error":
    case "permission_error":
      return "auth";
    case "not_found_error":
      return "not_found";
    case "request_too_large":
      return "invalid_request";
    case "invalid_request_error":
      if (CONTENT_FILTER_MESSAGE.test(message)) return "content_filter";
      return CONTEXT_MESSAGE.test(message) ? "context_length" : "invalid_request";
    case "overloaded_error":
    case "api_error":
    case "timeout_error":
      return "transient";
  }
  if (status === undefined) return "unknown";
  const kind = kindOfStatus(status);
  return kind === "invalid_request" && CONTEXT_MESSAGE.test(message) ? "context_length" : kind;
}
