import type { Client } from "../auth/client-registry.js";
import type { GatewayErrorDescription } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";

/**
 * Counts one request against the client's `rateLimit.rpm` (across every instance when Redis is
 * configured); returns the 429 to answer with when it is over, undefined to go on.
 */
export async function checkRateLimit(
  gateway: GatewayContext,
  client: Client | undefined,
): Promise<GatewayErrorDescription | undefined> {
  const rpm = client?.config.rateLimit?.rpm;
  if (!client || rpm === undefined || !gateway.rateLimiter) return undefined;
  const decision = await gateway.rateLimiter.check(client.name, rpm);
  if (decision.allowed) return undefined;
  const waitMs = Math.ceil(decision.retryAfterMs);
  return {
    status: 429,
    category: "rate_limited",
    code: "rate_limit_exceeded",
    message: `the client '${client.name}' is over its rate limit of ${rpm} requests per minute (retry in ${waitMs} ms)`,
    retryAfterMs: waitMs,
  };
}
