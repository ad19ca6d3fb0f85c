import type {
  MockErrorKind,
  RenderedResponse,
  ResolvedMockError,
} from "../../../testing/mock-kit/mock-vendor.js";
import { commonStatusFor } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { bedrockEventFrame, bedrockRequestId } from "./bedrock-mock-frames.js";

/** Bedrock's exception type and wording for each kind. */
const EXCEPTIONS: Record<MockErrorKind, readonly [string, string]> = {
  rate_limit: ["ThrottlingException", "Too many requests, please wait before trying again."],
  quota: [
    "ServiceQuotaExceededException",
    "Your request exceeded the service quota for your account. Request a quota increase.",
  ],
  overloaded: [
    "ServiceUnavailableException",
    "Bedrock is unable to process your request. Try again later.",
  ],
  server: ["InternalServerException", "The server encountered an internal error."],
  auth: ["UnrecognizedClientException", "The security token included in the request is invalid."],
  permission: [
    "AccessDeniedException",
    "You don't have access to the model with the specified model ID.",
  ],
  not_found: [
    "ResourceNotFoundException",
    "Could not resolve the foundation model from the provided model identifier.",
  ],
  context_length: ["ValidationException", "Input is too long for requested model."],
  content_filter: [
    "ValidationException",
    "The model returned the following errors: Output blocked by content filtering policy",
  ],
  invalid_request: [
    "ValidationException",
    "Malformed input request, please reformat your input and try again.",
  ],
};

/** Bedrock's statuses: a service quota is a 400, auth failures are 403. */
export function bedrockStatusFor(kind: MockErrorKind): number {
  if (kind === "quota") return 400;
  if (kind === "auth") return 403;
  return commonStatusFor(kind);
}

/** An error answer as Bedrock writes it: the type in `x-amzn-errortype`, `{"message"}` in the body. */
export function bedrockError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): RenderedResponse {
  return {
    status,
    headers: {
      "content-type": "application/json",
      "x-amzn-requestid": bedrockRequestId(),
      "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      ...headers,
    },
    body: JSON.stringify({ message }),
  };
}

export function renderBedrockError(error: ResolvedMockError): RenderedResponse {
  const [type, message] = EXCEPTIONS[error.kind];
  const headers: Record<string, string> =
    error.retryAfterSeconds === undefined ? {} : { "retry-after": String(error.retryAfterSeconds) };
  return bedrockError(error.status, type, error.message ?? message, headers);
}

/** An exception message in a ConverseStream: its type, lower camel case, as the event name. */
export function renderBedrockErrorEvent(error: ResolvedMockError): string {
  const [type, message] =
    error.kind === "server"
      ? (["ModelStreamErrorException", "The model stream failed."] as const)
      : EXCEPTIONS[error.kind];
  return bedrockEventFrame(
    {
      ":message-type": "exception",
      ":exception-type": type.charAt(0).toLowerCase() + type.slice(1),
      ":content-type": "application/json",
    },
    JSON.stringify({ message: error.message ?? message }),
  );
}
