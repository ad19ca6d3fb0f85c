import type { Context, Env, Hono } from "hono";
import { redactConfig, stringifyConfig } from "../config/index.js";
import { configSecrets, scrubSecretsDeep } from "../config/scrub-secrets.js";
import { REQUEST_OUTCOMES, type RequestOutcome } from "../store/request-trace.js";
import type { ListRequestsQuery, UsageGroup } from "../store/trace-store.js";
import { adminRequired, hasAdminAccess } from "./admin-access.js";
import { buildOverview } from "./build-overview.js";
import type { Observability } from "./observability.js";
import type { AdminHost } from "./observed-gateway.js";
import { sseResponse } from "./sse-response.js";

const USAGE_GROUPS: readonly UsageGroup[] = ["client", "model", "provider"];
const MAX_USAGE_HOURS = 24 * 31;

/**
 * The dashboard's JSON and event-stream API under `/admin/`: each answers to the admin key
 * (Bearer or `x-api-key`) or a dashboard session cookie, and is scrubbed of the config's secrets.
 */
export function mountAdminRoutes<E extends Env>(
  app: Hono<E>,
  host: AdminHost,
  observability: Observability,
): void {
  const guarded =
    (handler: (c: Context) => Response | Promise<Response>) =>
    (c: Context): Response | Promise<Response> =>
      hasAdminAccess(c, observability, host) ? handler(c) : adminRequired(c);
  const scrubbed = <T>(c: Context, value: T) =>
    c.json(scrubSecretsDeep(value, configSecrets(observability.state.config)) as object, 200, {
      "cache-control": "no-store",
    });

  app.get(
    "/admin/overview",
    guarded((c) => {
      const config = observability.state.config;
      return scrubbed(c, {
        ...buildOverview(observability, host.draining()),
        filters: {
          models: [...observability.state.router.routes.keys()],
          providers: config.providers.map((provider) => provider.name),
          clients: (config.clients ?? []).map((client) => client.name),
        },
      });
    }),
  );
  app.get(
    "/admin/series",
    guarded((c) => scrubbed(c, observability.series.snapshot())),
  );
  app.get(
    "/admin/events",
    guarded((c) => {
      if (host.draining()) return c.json({ error: { message: "shutting down" } }, 503);
      const lastId = Number(c.req.header("last-event-id") ?? c.req.query("after") ?? 0);
      return sseResponse({
        feed: observability.feed,
        afterId: Number.isFinite(lastId) ? lastId : 0,
        signal: c.req.raw.signal,
        onOpen: (close) => observability.trackStream(close),
      });
    }),
  );
  app.get(
    "/admin/requests",
    guarded(async (c) => {
      const source = observability.traces();
      const page = await source.reader.listRequests(requestQuery(c));
      return scrubbed(c, { source: source.kind, ...page });
    }),
  );
  app.get(
    "/admin/requests/:id",
    guarded(async (c) => {
      const source = observability.traces();
      const request = await source.reader.getRequest(c.req.param("id") ?? "");
      if (!request) return c.json({ error: { message: "no such request" } }, 404);
      return scrubbed(c, { source: source.kind, request });
    }),
  );
  app.get(
    "/admin/usage",
    guarded(async (c) => {
      const groupBy = c.req.query("groupBy") as UsageGroup | undefined;
      if (!groupBy || !USAGE_GROUPS.includes(groupBy)) {
        return c.json({ error: { message: "groupBy must be client, model or provider" } }, 400);
      }
      const hours = clamp(Number(c.req.query("hours") ?? 24), 1, MAX_USAGE_HOURS);
      const since = observability.clock.now() - hours * 3_600_000;
      const source = observability.traces();
      const rows = await source.reader.usage({ groupBy, since });
      return scrubbed(c, { source: source.kind, groupBy, hours, since, rows });
    }),
  );
  app.get(
    "/admin/config",
    guarded((c) => {
      const redacted = redactConfig(observability.state.config);
      return scrubbed(c, { yaml: stringifyConfig(redacted) });
    }),
  );
}

function requestQuery(c: Context): ListRequestsQuery {
  const query: ListRequestsQuery = { limit: clamp(Number(c.req.query("limit") ?? 50), 1, 200) };
  for (const field of ["model", "provider", "client", "cursor"] as const) {
    const value = c.req.query(field);
    if (value) query[field] = value;
  }
  const outcome = c.req.query("outcome");
  if (outcome && REQUEST_OUTCOMES.includes(outcome as RequestOutcome)) {
    query.outcome = outcome as RequestOutcome;
  }
  const status = Number(c.req.query("status"));
  if (Number.isInteger(status) && status >= 100 && status <= 599) query.status = status;
  return query;
}

function clamp(value: number, least: number, most: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(Math.round(value), least), most) : least;
}
