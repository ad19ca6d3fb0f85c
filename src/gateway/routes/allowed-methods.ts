import { GatewayRequestError } from "../protocols/gateway-request-error.js";

/** A registered route as the Hono app lists them (`app.routes`); middleware has method `ALL`. */
export interface RegisteredRoute {
  method: string;
  path: string;
}

/**
 * The methods `path` is served with, from the app's routes (a GET route answers HEAD too); empty
 * when no route has this path.
 */
export function allowedMethods(routes: readonly RegisteredRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === "ALL" || !pathMatches(route.path, path)) continue;
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
  }
  return [...methods];
}

/** 405: the path exists, not with this method. */
export function methodNotAllowedError(
  method: string,
  path: string,
  allowed: readonly string[],
): GatewayRequestError {
  return new GatewayRequestError(
    `${method} is not allowed on ${path} (allowed: ${allowed.join(", ")})`,
    { status: 405, code: "method_not_allowed" },
  );
}

/** Whether a route pattern (`/admin/requests/:id`, `/ui/*`) matches a path. */
function pathMatches(pattern: string, path: string): boolean {
  const expected = pattern.split("/");
  const actual = path.split("/");
  for (let index = 0; index < expected.length; index++) {
    const segment = expected[index];
    if (segment === "*") return true;
    const part = actual[index];
    if (part === undefined) return false;
    if (segment?.startsWith(":") ? part === "" : segment !== part) return false;
  }
  return expected.length === actual.length;
}
