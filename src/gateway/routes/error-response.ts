import type { Context } from "hono";
import { configSecrets, mapStringsDeep, scrubSecrets } from "../../config/scrub-secrets.js";
import type { GatewayContext } from "../gateway-context.js";
import type { Exchange } from "../http/exchange.js";
import { configUpstreams, hideUpstreams } from "../http/hide-upstreams.js";
import { WebExchange } from "../http/web-exchange.js";
import { redactMessage } from "../protocols/summarize-attempts.js";

const MAX_LOGGED_MESSAGE_LENGTH = 2000;

/** An error rendered in a client protocol, ready to send. */
export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Sends a rendered error and logs it; 5xx with the cause's message, never a secret or a header.
 * Upstream messages can echo a key: the body and the log line are scrubbed of every secret the
 * config holds, and the log line of anything that looks like a credential. The body never names an
 * upstream's address (the log line does). Returns the status sent.
 */
export function sendError(
  exchange: Exchange,
  gateway: GatewayContext,
  rendered: RenderedError,
  error: unknown,
  fields: Record<string, unknown>,
): number {
  const config = gateway.state().config;
  const secrets = configSecrets(config);
  const log = rendered.status >= 500 ? gateway.logger.error : gateway.logger.warn;
  const message =
    rendered.status >= 500 && error instanceof Error
      ? redactMessage(scrubSecrets(error.message, secrets), MAX_LOGGED_MESSAGE_LENGTH)
      : "request refused";
  log.call(
    gateway.logger,
    {
      requestId: exchange.requestId,
      ...fields,
      status: rendered.status,
      error: error instanceof Error ? error.name : typeof error,
    },
    message,
  );
  const upstreams = configUpstreams(config);
  const body = mapStringsDeep(rendered.body, (text) =>
    hideUpstreams(scrubSecrets(text, secrets), upstreams),
  );
  exchange.sendJson(rendered.status, body, rendered.headers);
  return rendered.status;
}

/** `sendError` for a Hono handler: the answer as a `Response`. */
export function errorResponse(
  c: Context,
  gateway: GatewayContext,
  rendered: RenderedError,
  error: unknown,
  fields: Record<string, unknown>,
): Response {
  const exchange = new WebExchange(c);
  sendError(exchange, gateway, rendered, error, fields);
  return exchange.response;
}
