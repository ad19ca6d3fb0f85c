import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nestsDeeperThan, parseJsonBody } from "./read-json-body.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** How deep arrays and objects nest in a parsed value (a scalar is 0). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const items = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...items.map(depthOf));
}

describe("nestsDeeperThan", () => {
  it("counts arrays and objects, not brackets inside strings or escaped quotes", () => {
    expect(nestsDeeperThan(bytes('{"a":[[1]]}'), 3)).toBe(false);
    expect(nestsDeeperThan(bytes('{"a":[[1]]}'), 2)).toBe(true);
    expect(nestsDeeperThan(bytes('{"a":"[[[[[[\\"{{{{{{"}'), 1)).toBe(false);
    expect(nestsDeeperThan(bytes('{"é":"\\\\","b":[{"c":{}}]}'), 3)).toBe(true);
  });

  it("agrees with the parsed value's depth for any JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 8 }), (value, max) => {
        const text = JSON.stringify(value);
        expect(nestsDeeperThan(bytes(text), max)).toBe(depthOf(value) > max);
      }),
    );
  });
});

describe("parseJsonBody", () => {
  it("refuses nesting past the limit with a 400 naming it", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    expect(() => parseJsonBody(bytes(deep), 100)).toThrow(/server\.maxJsonDepth \(100 levels\)/);
    expect(parseJsonBody(bytes("[[1]]"), 2)).toEqual([[1]]);
  });
});
