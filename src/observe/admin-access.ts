import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { readCookie, SESSION_COOKIE } from "./admin-sessions.js";
import type { Observability } from "./observability.js";
import type { AdminHost } from "./observed-gateway.js";

/** Whether a request holds the admin key (Bearer or `x-api-key`) or a live dashboard session. */
export function hasAdminAccess(c: Context, observability: Observability, host: AdminHost): boolean {
  const adminKey = observability.state.config.server.adminKey;
  if (!adminKey) return false;
  if (isAdminKey(host.presentedKey(c.req.raw.headers) ?? "", adminKey)) return true;
  const token = readCookie(c.req.header("cookie"), SESSION_COOKIE);
  return observability.sessions.valid(token, adminKey);
}

/** The 401 the admin API answers without access (the same shape as `/admin/status`'s). */
export function adminRequired(c: Context): Response {
  return c.json({ error: { message: "admin key required", type: "authentication_error" } }, 401);
}

/** Whether `presented` is the admin key, compared in constant time. */
export function isAdminKey(presented: string, adminKey: string | undefined): boolean {
  if (!adminKey || !presented) return false;
  return timingSafeEqual(digest(presented), digest(adminKey));
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
