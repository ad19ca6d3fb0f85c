import type { Env, Hono } from "hono";
import type { GatewayContext } from "../gateway/gateway-context.js";
import { mountAdminRoutes } from "./admin-routes.js";
import { mountDashboardRoutes } from "./dashboard-routes.js";
import type { Observability } from "./observability.js";

/** Adds `/metrics`, the dashboard (`/ui`) and its admin API (`/admin/...`) to the gateway's app. */
export function mountObservability<E extends Env>(
  app: Hono<E>,
  gateway: GatewayContext,
  observability: Observability,
): void {
  mountDashboardRoutes(app, observability);
  mountAdminRoutes(app, gateway, observability);
}
