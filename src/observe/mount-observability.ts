import type { Env, Hono } from "hono";
import { mountAdminRoutes } from "./admin-routes.js";
import { mountDashboardRoutes } from "./dashboard-routes.js";
import type { Observability } from "./observability.js";
import type { AdminHost } from "./observed-gateway.js";

/** Adds `/metrics`, the dashboard (`/ui`) and its admin API (`/admin/...`) to the gateway's app. */
export function mountObservability<E extends Env>(
  app: Hono<E>,
  host: AdminHost,
  observability: Observability,
): void {
  mountDashboardRoutes(app, observability, host);
  mountAdminRoutes(app, host, observability);
}
