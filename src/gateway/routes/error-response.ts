import type { Context } from "hono";
import type { GatewayContext } from "../gateway-context.js";

/** Sends a rendered error and logs it; 5xx with the cause's message, never a secret or a header. */
export function errorResponse(
  c: Context,
  gateway: GatewayContext,
  rendered: { status: number; headers: Record<string, string>; body: unknown },
  error: unknown,
  fields: Record<string, unknown>,
): Response {
  const log = rendered.status >= 500 ? gateway.logger.error : gateway.logger.warn;
  log.call(
    gateway.logger,
    {
      ...fields,
      status: rendered.status,
      error: error instanceof Error ? error.name : typeof error,
    },
    rendered.status >= 500 && error instanceof Error ? error.message : "request refused",
  );
  return c.json(rendered.body, rendered.status as 400, rendered.headers);
}
