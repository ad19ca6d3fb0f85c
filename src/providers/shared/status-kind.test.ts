import { describe, expect, it } from "vitest";
import { kindForStatus } from "./status-kind.js";

describe("kindForStatus", () => {
  it.each([
    [429, "rate_limited"],
    [402, "quota_exhausted"],
    [401, "auth"],
    [403, "auth"],
    [404, "not_found"],
    [408, "transient"],
    [413, "invalid_request"],
    [400, "invalid_request"],
    [422, "invalid_request"],
    [500, "transient"],
    [503, "transient"],
    [529, "transient"],
    [599, "transient"],
    [302, "unknown"],
  ])("%d is %s", (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});
