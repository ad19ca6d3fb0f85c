import type { Context } from "hono";
import { configSecrets, scrubSecretsDeep } from "../../config/scrub-secrets.js";
import { reportedStatus } from "../../observe/build-overview.js";
import type { GatewayContext } from "../gateway-context.js";
import { isAdmin } from "../http/admin-auth.js";

/** `GET /healthz`: the process is up. */
export function healthRoute() {
  return (c: Context) => c.json({ status: "ok" });
}

/**
 * `GET /readyz`: ready to take traffic. 503 while draining or when a model has no usable target;
 * `degraded` (still 200) names models whose every circuit is open, providers skipped for lack of a key,
 * a shared state store (Redis) that cannot be reached, and a trace store whose writes are failing.
 */
export function readyRoute(gateway: GatewayContext) {
  return (c: Context) => {
    const state = gateway.state();
    const problems: string[] = [];
    const degraded: string[] = [];
    if (gateway.draining()) problems.push("draining: shutting down");
    for (const route of state.router.routes.values()) {
      if (route.targets.size === 0) problems.push(`model ${route.name} has no usable target`);
      const statuses = Object.values(route.chat.getStatus());
      if (statuses.length > 0 && statuses.every((status) => status === "open")) {
        degraded.push(`model ${route.name}: every circuit is open`);
      }
    }
    for (const provider of state.skippedProviders)
      degraded.push(`provider ${provider} skipped: no API key`);
    const stateStore = gateway.stateStore?.();
    if (stateStore && !stateStore.connected) {
      degraded.push("state store unreachable (running on local state)");
    }
    const traceStore = gateway.traceStore?.();
    if (traceStore && traceStore.failureCount > 0) {
      degraded.push(
        `trace store writes failing (${traceStore.failureCount} in a row; ${traceStore.pendingCount} traces waiting, ${traceStore.droppedCount} dropped)`,
      );
    }
    const status = problems.length > 0 ? "unavailable" : degraded.length > 0 ? "degraded" : "ready";
    return c.json(
      {
        status,
        problems,
        degraded,
        // Counts only: the last error names hosts, which an unauthenticated probe need not see.
        ...(stateStore
          ? {
              stateStore: {
                connected: stateStore.connected,
                commandErrors: stateStore.commandErrors,
                connectionErrors: stateStore.connectionErrors,
              },
            }
          : {}),
        ...(traceStore
          ? {
              traceStore: {
                backend: traceStore.kind,
                writing: traceStore.failureCount === 0,
                pending: traceStore.pendingCount,
                dropped: traceStore.droppedCount,
                writeFailures: traceStore.writeFailureCount,
              },
            }
          : {}),
        ...gateway.readiness(),
      },
      problems.length > 0 ? 503 : 200,
    );
  };
}

/**
 * `GET /admin/status`: every model's targets, circuits, cooldowns and in-flight calls (admin key),
 * scrubbed of the config's secrets.
 */
export function adminStatusRoute(gateway: GatewayContext) {
  return (c: Context) => {
    const state = gateway.state();
    if (!isAdmin(c.req.raw.headers, state.config.server.adminKey)) {
      return c.json(
        { error: { message: "admin key required", type: "authentication_error" } },
        401,
      );
    }
    const models = [...state.router.routes.values()].map((route) => {
      const metrics = route.chat.getMetrics();
      const status = route.chat.getStatus();
      return {
        name: route.name,
        direct: route.direct,
        targets: [...route.targets.values()].map((target) => {
          const metric = metrics[target.id];
          const health = metric?.health ?? "unknown";
          return {
            ...target,
            ...metric,
            status: reportedStatus(status[target.id], health),
            health,
          };
        }),
      };
    });
    // Last errors quote upstream messages, which can echo a key.
    const status = {
      draining: gateway.draining(),
      skippedProviders: state.skippedProviders,
      models,
    };
    return c.json(scrubSecretsDeep(status, configSecrets(state.config)) as typeof status);
  };
}
