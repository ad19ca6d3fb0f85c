import type { Client } from "../auth/client-registry.js";
import type { GatewayContext } from "../gateway-context.js";
import { GatewayRequestError } from "../protocols/gateway-request-error.js";

/**
 * Counts one request against the client's `rateLimit.rpm` (across every instance when Redis is
 * configured); throws the 429 to answer with when it is over.
 */
export async function checkRateLimit(
  gateway: GatewayContext,
  client: Pick<Client, "name" | "config"> | Client["team"] | undefined,
): Promise<void> {
  const rpm = client?.config.rateLimit?.rpm;
  if (!client || rpm === undefined || !gateway.rateLimiter) return;
  const decision = await gateway.rateLimiter.check(client.name, rpm);
  if (decision.allowed) return;
  const waitMs = Math.ceil(decision.retryAfterMs);
  throw new GatewayRequestError(
    `the client '${client.name}' is over its rate limit of ${rpm} requests per minute (retry in ${waitMs} ms)`,
    { status: 429, code: "rate_limit_exceeded", retryAfterMs: waitMs, retryable: true },
  );
}

/**
 * A client's rate limit then its budget (429 for either), and for a runtime key in a team the
 * team's too: what every model request checks after the key.
 */
export async function checkClientLimits(
  gateway: GatewayContext,
  client: Client | undefined,
): Promise<void> {
  if (!client) return;
  await checkRateLimit(gateway, client);
  if (client.team) await checkRateLimit(gateway, client.team);
  await gateway.budget?.check(client.name);
  if (client.team) await gateway.budget?.check(client.team.name);
}
