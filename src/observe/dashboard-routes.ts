import { randomBytes } from "node:crypto";
import type { Context, Env, Hono } from "hono";
import { adminRequired, hasAdminAccess, isAdminKey } from "./admin-access.js";
import { readCookie, SESSION_COOKIE, sessionCookie } from "./admin-sessions.js";
import type { Observability } from "./observability.js";
import type { AdminHost } from "./observed-gateway.js";

const MAX_LOGIN_BODY_BYTES = 4096;

type DashboardPages = typeof import("./dashboard/dashboard-page.js");
let pagesLoading: Promise<DashboardPages> | undefined;

/** The dashboard's page, script and style (about 13 modules) are loaded on the first `/ui` request. */
function pages(): Promise<DashboardPages> {
  pagesLoading ??= import("./dashboard/dashboard-page.js");
  return pagesLoading;
}

/**
 * `GET /ui` (the dashboard, or its sign-in page), `POST /ui/login`, `POST /ui/logout`, and
 * `GET /metrics` on the main port (admin key required; not served here when `server.metrics.port`
 * is set). `/ui?key=<admin key>` signs in and redirects to a clean URL.
 */
export function mountDashboardRoutes<E extends Env>(
  app: Hono<E>,
  observability: Observability,
  host: AdminHost,
) {
  const adminKey = () => observability.state.config.server.adminKey;

  app.get("/metrics", async (c) => {
    if (observability.state.config.server.metrics?.port !== undefined) return c.notFound();
    if (!hasAdminAccess(c, observability, host)) return adminRequired(c);
    return observability.metricsResponse();
  });

  app.get("/ui", async (c) => {
    const { dashboardOffPage, dashboardPage } = await pages();
    const key = adminKey();
    if (!key) return html(c, dashboardOffPage, 404);
    const presented = c.req.query("key");
    if (presented !== undefined) {
      if (!isAdminKey(presented, key)) {
        return html(c, await loginPageWith("That key is not the admin key."), 401);
      }
      return signedIn(c, observability.sessions.create(key), observability);
    }
    if (!hasAdminAccess(c, observability, host)) {
      return html(c, await loginPageWith(undefined), 401);
    }
    return html(c, dashboardPage, 200);
  });

  app.post("/ui/login", async (c) => {
    const key = adminKey();
    if (!key) return html(c, (await pages()).dashboardOffPage, 404);
    const length = Number(c.req.header("content-length") ?? 0);
    const form = length > MAX_LOGIN_BODY_BYTES ? {} : await c.req.parseBody().catch(() => ({}));
    const presented = (form as Record<string, unknown>).key;
    if (typeof presented !== "string" || !isAdminKey(presented, key)) {
      return html(c, await loginPageWith("That key is not the admin key."), 401);
    }
    return signedIn(c, observability.sessions.create(key), observability);
  });

  app.post("/ui/logout", (c) => {
    observability.sessions.revoke(readCookie(c.req.header("cookie"), SESSION_COOKIE));
    return redirect(sessionCookie(undefined, { maxAgeMs: 0, secure: isHttps(c) }));
  });
}

async function loginPageWith(message: string | undefined) {
  const { loginPage } = await pages();
  return (nonce: string) => loginPage(nonce, message);
}

function signedIn(c: Context, token: string, observability: Observability): Response {
  const maxAgeMs = observability.sessions.lifetimeMs;
  return redirect(sessionCookie(token, { maxAgeMs, secure: isHttps(c) }));
}

function redirect(cookie: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location: "/ui", "set-cookie": cookie, "cache-control": "no-store" },
  });
}

/** An HTML page with a fresh nonce for its inline style and script, and a strict CSP. */
function html(c: Context, page: (nonce: string) => string, status: 200 | 401 | 404): Response {
  const nonce = randomBytes(16).toString("base64");
  return c.html(page(nonce), status, {
    "content-security-policy": [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src data:",
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
  });
}

function isHttps(c: Context): boolean {
  return c.req.url.startsWith("https:") || c.req.header("x-forwarded-proto") === "https";
}
