import { createHash } from "node:crypto";
import type { Context, Env, Hono } from "hono";
import { adminRequired, hasAdminAccess } from "../../observe/admin-access.js";
import { readCookie, SESSION_COOKIE } from "../../observe/admin-sessions.js";
import type { Observability } from "../../observe/observability.js";
import type { AdminHost } from "../../observe/observed-gateway.js";
import { AdminNotFoundError, type KeyAdmin } from "./key-admin.js";
import {
  AdminInputError,
  createKeySchema,
  createTeamSchema,
  parseAdminInput,
  rotateKeySchema,
  updateKeySchema,
  updateTeamSchema,
} from "./key-input.js";

const MAX_AUDIT_ENTRIES = 500;

type Handler = (c: Context, admin: KeyAdmin, actor: string) => Promise<Response>;

/**
 * The admin API of runtime keys, teams and the audit log (`/admin/keys`, `/admin/teams`,
 * `/admin/audit`), answering to the admin key or a dashboard session like the rest of `/admin/`.
 * Without a database there is nowhere to keep keys: every route answers 400 saying so.
 */
export function mountKeyRoutes<E extends Env>(
  app: Hono<E>,
  host: AdminHost,
  observability: Observability,
  admin: () => KeyAdmin | undefined,
): void {
  const guarded =
    (handler: Handler) =>
    async (c: Context): Promise<Response> => {
      if (!hasAdminAccess(c, observability, host)) return adminRequired(c);
      const keys = admin();
      if (!keys) {
        return failure(c, 400, "runtime keys need a database: set database.url", "database");
      }
      try {
        return await handler(c, keys, actorOf(c, host));
      } catch (error) {
        if (error instanceof AdminInputError) return failure(c, 400, error.message, error.param);
        if (error instanceof AdminNotFoundError) return failure(c, 404, error.message, undefined);
        throw error;
      }
    };
  const body = async (c: Context): Promise<unknown> => {
    const text = await c.req.text();
    if (text.trim() === "") return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AdminInputError("the body is not JSON", undefined);
    }
  };
  const id = (c: Context) => c.req.param("id") ?? "";

  app.post(
    "/admin/keys",
    guarded(async (c, keys, actor) => {
      const input = parseAdminInput(createKeySchema, await body(c));
      const { view, key } = await keys.createKey(input, actor);
      return answer(c, { ...view, key }, 201);
    }),
  );
  app.get(
    "/admin/keys",
    guarded(async (c, keys) => answer(c, { keys: await keys.listKeys() })),
  );
  app.get(
    "/admin/keys/:id",
    guarded(async (c, keys) => answer(c, await keys.getKey(id(c)))),
  );
  app.patch(
    "/admin/keys/:id",
    guarded(async (c, keys, actor) => {
      const input = parseAdminInput(updateKeySchema, await body(c));
      return answer(c, await keys.updateKey(id(c), input, actor));
    }),
  );
  app.post(
    "/admin/keys/:id/rotate",
    guarded(async (c, keys, actor) => {
      const input = parseAdminInput(rotateKeySchema, await body(c));
      const { view, key } = await keys.rotateKey(id(c), input.gracePeriodMs ?? 0, actor);
      return answer(c, { ...view, key });
    }),
  );
  app.delete(
    "/admin/keys/:id",
    guarded(async (c, keys, actor) => answer(c, await keys.revokeKey(id(c), actor))),
  );
  app.post(
    "/admin/teams",
    guarded(async (c, keys, actor) => {
      const input = parseAdminInput(createTeamSchema, await body(c));
      return answer(c, await keys.createTeam(input, actor), 201);
    }),
  );
  app.get(
    "/admin/teams",
    guarded(async (c, keys) => answer(c, { teams: await keys.listTeams() })),
  );
  app.get(
    "/admin/teams/:id",
    guarded(async (c, keys) => answer(c, await keys.getTeam(id(c)))),
  );
  app.patch(
    "/admin/teams/:id",
    guarded(async (c, keys, actor) => {
      const input = parseAdminInput(updateTeamSchema, await body(c));
      return answer(c, await keys.updateTeam(id(c), input, actor));
    }),
  );
  app.delete(
    "/admin/teams/:id",
    guarded(async (c, keys, actor) => answer(c, await keys.deleteTeam(id(c), actor))),
  );
  app.get(
    "/admin/audit",
    guarded(async (c, keys) => {
      const limit = Number(c.req.query("limit") ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_ENTRIES) {
        throw new AdminInputError(
          `limit: must be a whole number from 1 to ${MAX_AUDIT_ENTRIES}`,
          "limit",
        );
      }
      const beforeText = c.req.query("before");
      const before = beforeText === undefined ? undefined : Number(beforeText);
      if (before !== undefined && !Number.isFinite(before)) {
        throw new AdminInputError("before: must be epoch milliseconds", "before");
      }
      const entries = await keys.listAudit({ limit, ...(before !== undefined ? { before } : {}) });
      return answer(c, { entries });
    }),
  );
}

/**
 * Which admin credential made a change, without the credential: `admin-key:` or `session:` and the
 * first 12 hex digits of its SHA-256.
 */
export function actorOf(c: Context, host: AdminHost): string {
  const key = host.presentedKey(c.req.raw.headers);
  if (key) return `admin-key:${shortHash(key)}`;
  const token = readCookie(c.req.header("cookie"), SESSION_COOKIE);
  return token ? `session:${shortHash(token)}` : "unknown";
}

function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 12);
}

function answer(c: Context, value: object, status: 200 | 201 = 200): Response {
  return c.json(value, status, { "cache-control": "no-store" });
}

function failure(c: Context, status: 400 | 404, message: string, param: string | undefined) {
  return c.json(
    {
      error: {
        message,
        type: status === 404 ? "not_found_error" : "invalid_request_error",
        ...(param !== undefined ? { param } : {}),
      },
    },
    status,
  );
}
