import type { Context } from "hono";
import type { GatewayContext } from "../gateway-context.js";
import { configSecrets, scrubSecrets, scrubSecretsDeep } from "../http/scrub-secrets.js";
import { redactMessage } from "../protocols/summarize-attempts.js";

const MAX_LOGGED_MESSAGE_LENGTH = 2000;

/**
 * Sends a rendered error and logs it; 5xx with the cause's message, never a secret or a header.
 * Upstream messages can echo a key: the body and the log line are scrubbed of every secret the
 * config holds, and the log line of anything that looks like a credential.
 */
export function errorResponse(
  c: Context,
  gateway: GatewayContext,
  rendered: { status: number; headers: Record<string, string>; body: unknown },
  error: unknown,
  fields: Record<string, unknown>,
): Response {
  const secrets = configSecrets(gateway.state().config);
  const log = rendered.status >= 500 ? gateway.logger.error : gateway.logger.warn;
  const message =
    rendered.status >= 500 && error instanceof Error
      ? redactMessage(scrubSecrets(error.message, secrets), MAX_LOGGED_MESSAGE_LENGTH)
      : "request refused";
  log.call(
    gateway.logger,
    {
      ...fields,
      status: rendered.status,
      error: error instanceof Error ? error.name : typeof error,
    },
    message,
  );
  return c.json(
    scrubSecretsDeep(rendered.body, secrets) as object,
    rendered.status as 400,
    rendered.headers,
  );
}
