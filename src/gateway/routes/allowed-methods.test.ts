import { describe, expect, it } from "vitest";
import { allowedMethods } from "./allowed-methods.js";

const ROUTES = [
  { method: "ALL", path: "/*" },
  { method: "GET", path: "/v1/models" },
  { method: "POST", path: "/v1/chat/completions" },
  { method: "GET", path: "/admin/requests/:id" },
  { method: "POST", path: "/ui/login" },
  { method: "GET", path: "/ui/*" },
];

describe("allowedMethods", () => {
  it("lists a path's methods, HEAD with GET, ignoring middleware", () => {
    expect(allowedMethods(ROUTES, "/v1/models")).toEqual(["GET", "HEAD"]);
    expect(allowedMethods(ROUTES, "/v1/chat/completions")).toEqual(["POST"]);
  });

  it("matches parameters and wildcards, whole segments only", () => {
    expect(allowedMethods(ROUTES, "/admin/requests/abc")).toEqual(["GET", "HEAD"]);
    expect(allowedMethods(ROUTES, "/admin/requests/")).toEqual([]);
    expect(allowedMethods(ROUTES, "/admin/requests/abc/more")).toEqual([]);
    expect(allowedMethods(ROUTES, "/ui/login")).toEqual(["POST", "GET", "HEAD"]);
    expect(allowedMethods(ROUTES, "/v1/modelsx")).toEqual([]);
    expect(allowedMethods(ROUTES, "/nowhere")).toEqual([]);
  });
});
