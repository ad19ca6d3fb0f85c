/**
 * The gateway's own request errors (a bad body, a bad virtual key, an unknown model, a body that is
 * too large), vendor-neutral. Each client protocol's `renderError` turns one into its wire shape via
 * `describeError` (src/gateway/error-response.ts). Parsers return them in a `ParseResult` rather than
 * throwing, so a route can decide; throwing one from a handler works too.
 */
import { SwitchyardError } from "../../errors/switchyard-error.js";

export interface GatewayRequestErrorOptions {
  /** The HTTP status to answer with (4xx). */
  status: number;
  /** The request parameter at fault, as the client protocol spells it (`messages[0].content`). */
  param?: string;
  /** A machine-readable code (`missing_required_parameter`, `model_not_found`, ...). */
  code?: string;
  /** How long the client should wait before trying again (a 429). */
  retryAfterMs?: number;
  /** Whether the same request may succeed later (a rate limit). Default false. */
  retryable?: boolean;
}

export class GatewayRequestError extends SwitchyardError {
  readonly status: number;
  readonly param: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: GatewayRequestErrorOptions) {
    super(options.code ?? "invalid_request", message);
    this.status = options.status;
    this.param = options.param;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? false;
  }
}

export function isGatewayRequestError(error: unknown): error is GatewayRequestError {
  return error instanceof GatewayRequestError;
}

/** What a parser returns: the parsed value, or the 400 to answer with. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: GatewayRequestError };

/** 401: the virtual key is missing or unknown. The message never echoes the key. */
export function invalidVirtualKeyError(options: { missing?: boolean } = {}): GatewayRequestError {
  const message = options.missing
    ? "missing API key: send the gateway virtual key as a bearer token or x-api-key header"
    : "invalid API key: the gateway does not know this virtual key";
  return new GatewayRequestError(message, { status: 401, code: "invalid_api_key" });
}

const MAX_ECHOED_LENGTH = 200;

/**
 * A client's string as the gateway repeats it (in an answer, a log line, a trace): cut short, since
 * a client can send 100,000 characters where a name is expected.
 */
export function echoed(text: string): string {
  return text.length > MAX_ECHOED_LENGTH ? `${text.slice(0, MAX_ECHOED_LENGTH)}...` : text;
}

/** 404: the model is not configured on this gateway. */
export function unknownModelError(model: string, param = "model"): GatewayRequestError {
  return new GatewayRequestError(`the model '${echoed(model)}' does not exist on this gateway`, {
    status: 404,
    param,
    code: "model_not_found",
  });
}

/** 413: the request body is larger than the gateway accepts. */
export function bodyTooLargeError(maxBytes: number, receivedBytes?: number): GatewayRequestError {
  const received = receivedBytes === undefined ? "" : ` (got ${receivedBytes} bytes)`;
  return new GatewayRequestError(
    `request body too large: the limit is ${maxBytes} bytes${received}`,
    { status: 413, code: "request_too_large" },
  );
}

/** 400 for a body that is not a JSON object at all (unparseable or not an object). */
export function invalidJsonBodyError(detail?: string): GatewayRequestError {
  const suffix = detail === undefined ? "" : `: ${detail}`;
  return new GatewayRequestError(`the request body is not a valid JSON object${suffix}`, {
    status: 400,
    code: "invalid_json",
  });
}

/** 400 for a body whose arrays and objects nest deeper than `server.maxJsonDepth`. */
export function jsonTooDeepError(maxDepth: number): GatewayRequestError {
  return new GatewayRequestError(
    `the request body nests JSON deeper than server.maxJsonDepth (${maxDepth} levels)`,
    { status: 400, code: "json_too_deep" },
  );
}
