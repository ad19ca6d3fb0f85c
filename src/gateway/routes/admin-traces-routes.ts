import type { Context } from "hono";
import { parseTime } from "../../store/parse-time.js";
import type { RequestOutcome } from "../../store/request-trace.js";
import type { UsageGroup } from "../../store/trace-store.js";
import type { GatewayContext } from "../gateway-context.js";
import { isAdmin } from "../http/admin-auth.js";

const OUTCOMES = new Set(["success", "error", "interrupted"]);
const GROUPS = new Set(["client", "model", "provider"]);

/**
 * `GET /admin/requests` (filters: client, model, provider, status, outcome, since, until, limit,
 * cursor), `GET /admin/requests/:id` (one request with its attempt chain) and `GET /admin/usage`
 * (tokens and cost by client, model or provider). Admin key required; 404 when no trace store is set.
 */
export function adminTracesRoutes(gateway: GatewayContext) {
  const guard = (c: Context) => {
    if (!isAdmin(c.req.raw.headers, gateway.state().config.server.adminKey)) {
      return c.json({ error: { message: "admin key required", type: "authentication_error" } }, 401);
    }
    const store = gateway.traceStore?.();
    if (!store) {
      return c.json(
        { error: { message: "request traces are off: configure `database` to keep them", type: "not_found" } },
        404,
      );
    }
    return store;
  };

  return {
    list: async (c: Context) => {
      const store = guard(c);
      if (store instanceof Response) return store;
      const query = c.req.query();
      const now = Date.now();
      const outcome = query.outcome && OUTCOMES.has(query.outcome) ? (query.outcome as RequestOutcome) : undefined;
      const page = await store.listRequests({
        ...(query.client ? { client: query.client } : {}),
        ...(query.model ? { model: query.model } : {}),
        ...(query.provider ? { provider: query.provider } : {}),
        ...(query.status ? { status: Number(query.status) } : {}),
        ...(outcome ? { outcome } : {}),
        ...(query.since ? { since: parseTime(query.since, now) } : {}),
        ...(query.until ? { until: parseTime(query.until, now) } : {}),
        ...(query.limit ? { limit: Number(query.limit) } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return c.json(page);
    },
    one: async (c: Context) => {
      const store = guard(c);
      if (store instanceof Response) return store;
      const detail = await store.getRequest(c.req.param("id") ?? "");
      if (!detail) return c.json({ error: { message: "no such request", type: "not_found" } }, 404);
      return c.json(detail);
    },
    usage: async (c: Context) => {
      const store = guard(c);
      if (store instanceof Response) return store;
      const query = c.req.query();
      const now = Date.now();
      const groupBy = (query.groupBy && GROUPS.has(query.groupBy) ? query.groupBy : "client") as UsageGroup;
      const rows = await store.usage({
        groupBy,
        ...(query.since ? { since: parseTime(query.since, now) } : {}),
        ...(query.until ? { until: parseTime(query.until, now) } : {}),
      });
      return c.json({ groupBy, rows });
    },
  };
}
