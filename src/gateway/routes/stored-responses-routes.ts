import type { Context } from "hono";
import type { ResponseStore, StoredResponse } from "../../store/response-store.js";
import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import { responsesProtocol } from "../protocols/responses/responses-protocol.js";
import { authenticate } from "./authorize-call.js";
import { errorResponse } from "./error-response.js";
import { ownerOf, responseNotFound } from "./responses-route.js";

/**
 * `GET /v1/responses/{id}`, `DELETE /v1/responses/{id}` and `GET /v1/responses/{id}/input_items`:
 * a stored response is visible only to the client that made it; for anyone else, and once it has
 * expired or been deleted, it is the vendor's 404.
 */
export function storedResponsesRoutes(gateway: GatewayContext, store: () => ResponseStore) {
  async function find(c: Context): Promise<StoredResponse> {
    const client = authenticate(gateway.state(), c.req.raw.headers);
    const id = c.req.param("id") ?? "";
    const stored = await store().get(id, ownerOf(client));
    if (!stored) throw responseNotFound(id);
    return stored;
  }
  const fail = (c: Context, error: unknown) =>
    errorResponse(c, gateway, responsesProtocol.renderError(describeError(error)), error, {});

  return {
    async retrieve(c: Context) {
      try {
        return c.json((await find(c)).response);
      } catch (error) {
        return fail(c, error);
      }
    },
    async delete(c: Context) {
      try {
        const stored = await find(c);
        await store().delete(stored.id, stored.owner);
        return c.json({ id: stored.id, object: "response", deleted: true });
      } catch (error) {
        return fail(c, error);
      }
    },
    async inputItems(c: Context) {
      try {
        const stored = await find(c);
        return c.json(listPage(stored.inputItems, new URL(c.req.url).searchParams));
      } catch (error) {
        return fail(c, error);
      }
    },
  };
}

/** A page of items as the vendor lists them: `order` (default desc), `after`, `limit` (1..100). */
export function listPage(items: readonly Record<string, unknown>[], query: URLSearchParams) {
  const ordered = query.get("order") === "asc" ? [...items] : [...items].reverse();
  const after = query.get("after");
  const start = after ? ordered.findIndex((item) => item.id === after) + 1 : 0;
  const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 20) || 20));
  const data = ordered.slice(start, start + limit);
  return {
    object: "list",
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < ordered.length,
  };
}
