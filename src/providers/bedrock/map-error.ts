import { kindOfStatus } from "../../engine/classify-error.js";
import type { ErrorKind } from "../../errors/error-kind.js";
import { ProviderError } from "../../errors/provider-error.js";
import { isRecord, readString } from "../shared/json-fields.js";
import { parseRetryAfterMs } from "../shared/retry-after.js";
import type { EventStreamMessage } from "./decode-event-stream.js";

/**
 * Bedrock's error table: the exception type decides, the status only when the type is unknown.
 * `ModelNotReadyException` comes as a 429 but is no rate limit: the model is loading, worth a retry.
 */
const EXCEPTION_KINDS: Readonly<Record<string, ErrorKind>> = {
  ThrottlingException: "rate_limited",
  ServiceQuotaExceededException: "quota_exhausted",
  ModelNotReadyException: "transient",
  ServiceUnavailableException: "transient",
  InternalServerException: "transient",
  ModelStreamErrorException: "transient",
  ModelTimeoutException: "transient",
  ModelErrorException: "transient",
  AccessDeniedException: "auth",
  UnrecognizedClientException: "auth",
  InvalidSignatureException: "auth",
  IncompleteSignatureException: "auth",
  ExpiredTokenException: "auth",
  MissingAuthenticationTokenException: "auth",
  ResourceNotFoundException: "not_found",
  ValidationException: "invalid_request",
};

/** How Bedrock words "the prompt does not fit" across its model families. */
const CONTEXT_LENGTH =
  /too long|too many (input )?tokens|exceeds? the maximum|context (length|window)|maximum context|input length/i;
/** Anthropic models on Bedrock refuse a flagged prompt or answer with this ValidationException. */
const CONTENT_FILTER = /content filtering policy|blocked by content filter/i;

/** The kind of a Bedrock exception (HTTP or in-stream); `status` is undefined in a stream. */
export function classifyBedrockError(
  exceptionType: string | undefined,
  message: string,
  status: number | undefined,
): ErrorKind {
  const kind = exceptionType === undefined ? undefined : EXCEPTION_KINDS[exceptionType];
  if (kind === "invalid_request" || (kind === undefined && status === 400)) {
    if (CONTEXT_LENGTH.test(message)) return "context_length";
    if (CONTENT_FILTER.test(message)) return "content_filter";
  }
  if (kind !== undefined) return kind;
  return status === undefined ? "transient" : kindOfStatus(status);
}

/**
 * The exception type of an error answer: the `x-amzn-errortype` header (`ThrottlingException:http://...`),
 * else the body's `__type` (`com.amazon.coral.service#UnrecognizedClientException`).
 */
export function readExceptionType(
  headers: Record<string, string>,
  body: unknown,
): string | undefined {
  const fromHeader = headers["x-amzn-errortype"]?.split(":")[0]?.trim();
  if (fromHeader) return fromHeader;
  const typeField = isRecord(body) ? readString(body, "__type") : undefined;
  return typeField?.split("#").at(-1);
}

function readMessage(body: unknown, text: string): string {
  if (isRecord(body)) {
    const message = readString(body, "message") ?? readString(body, "Message");
    if (message !== undefined) return message;
  }
  return text.trim() === "" ? "(empty body)" : text;
}

/** An HTTP error answer from Bedrock -> a classified ProviderError. */
export function mapBedrockError(options: {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  nowMs: number;
  provider: string;
}): ProviderError {
  const { status, headers, bodyText, provider } = options;
  const body = parseOrUndefined(bodyText);
  const exceptionType = readExceptionType(headers, body);
  const message = readMessage(body, bodyText);
  const kind = classifyBedrockError(exceptionType, message, status);
  return new ProviderError(
    `${provider} answered HTTP ${status}${exceptionType ? ` (${exceptionType})` : ""}: ${message.slice(0, 300)}`,
    {
      kind,
      provider,
      status,
      vendorCode: exceptionType,
      retryAfterMs:
        kind === "quota_exhausted" ? undefined : parseRetryAfterMs(headers, options.nowMs),
    },
  );
}

/** An exception message inside a ConverseStream -> a classified ProviderError. */
export function mapBedrockStreamException(
  exceptionType: string,
  bodyText: string,
  provider: string,
): ProviderError {
  const body = parseOrUndefined(bodyText);
  // In a stream the type is the event name, in lower camel case (`modelStreamErrorException`).
  const type = exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
  const message = readMessage(body, bodyText);
  return new ProviderError(
    `${provider} sent an error mid-stream (${type}): ${message.slice(0, 300)}`,
    {
      kind: classifyBedrockError(type, message, undefined),
      provider,
      vendorCode: type,
    },
  );
}

/**
 * The error an event-stream message carries: an `exception` message (its type in
 * `:exception-type`) or an `error` message (`:error-code`, `:error-message`); undefined for events.
 */
export function streamExceptionOf(
  message: EventStreamMessage,
  provider: string,
): ProviderError | undefined {
  const messageType = message.headers[":message-type"];
  if (messageType === "exception") {
    return mapBedrockStreamException(
      message.headers[":exception-type"] ?? "",
      message.body,
      provider,
    );
  }
  if (messageType === "error") {
    return mapBedrockStreamException(
      message.headers[":error-code"] ?? "InternalServerException",
      JSON.stringify({ message: message.headers[":error-message"] ?? "" }),
      provider,
    );
  }
  return undefined;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
