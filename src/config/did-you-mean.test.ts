import { describe, expect, it } from "vitest";
import { formatPath } from "./config-path.js";
import { closestMatch, didYouMean, editDistance } from "./did-you-mean.js";

describe("did you mean", () => {
  it("measures edits, counting a swap of neighbours as one", () => {
    expect(editDistance("port", "port")).toBe(0);
    expect(editDistance("prot", "port")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests only close matches", () => {
    expect(closestMatch("prot", ["host", "port", "cors"])).toBe("port");
    expect(closestMatch("TimeoutMS", ["timeoutMs", "deadlineMs"])).toBe("timeoutMs");
    expect(closestMatch("banana", ["host", "port"])).toBeUndefined();
    expect(didYouMean("hots", ["host"])).toBe(' (did you mean "host"?)');
    expect(didYouMean("zzz", ["host"])).toBe("");
  });
});

describe("formatPath", () => {
  it("writes indexes in brackets and quotes odd keys", () => {
    expect(formatPath(["models", 0, "targets", 1, "provider"])).toBe(
      "models[0].targets[1].provider",
    );
    expect(formatPath(["pricing", "gpt-4o", "input"])).toBe("pricing.gpt-4o.input");
    expect(formatPath(["pricing", "gpt-4.1", "input"])).toBe('pricing["gpt-4.1"].input');
    expect(formatPath([])).toBe("");
  });
});
