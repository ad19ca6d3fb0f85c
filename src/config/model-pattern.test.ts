import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  entryAdmits,
  literalLength,
  matchPattern,
  starCount,
  substitute,
} from "./model-pattern.js";

/** Text without a `*`. */
const plain = fc.string({ maxLength: 12 }).map((text) => text.replaceAll("*", ""));

describe("wildcard model names", () => {
  it("captures what the star stands for, so the name is the pattern with the star replaced", () => {
    fc.assert(
      fc.property(plain, plain, plain, (prefix, middle, suffix) => {
        const pattern = `${prefix}*${suffix}`;
        const name = `${prefix}${middle}${suffix}`;
        const captured = matchPattern(pattern, name);
        expect(captured).toBeDefined();
        expect(substitute(pattern, captured ?? "")).toBe(name);
        expect(entryAdmits(pattern, name)).toBe(true);
      }),
    );
  });

  it("matches a name exactly when the allow-list check does, and never a name it cannot produce", () => {
    fc.assert(
      fc.property(plain, plain, fc.string({ maxLength: 30 }), (prefix, suffix, name) => {
        const pattern = `${prefix}*${suffix}`;
        const captured = matchPattern(pattern, name);
        expect(captured !== undefined).toBe(entryAdmits(pattern, name));
        if (captured !== undefined) expect(`${prefix}${captured}${suffix}`).toBe(name);
      }),
    );
  });

  it("matches a name without a star only to itself", () => {
    fc.assert(
      fc.property(plain, plain, (pattern, name) => {
        expect(matchPattern(pattern, name) !== undefined).toBe(pattern === name);
        expect(entryAdmits(pattern, name)).toBe(pattern === name);
      }),
    );
  });

  it("lets allow-list entries have several stars, each for any text", () => {
    expect(entryAdmits("claude/*", "claude/claude-sonnet-4-5")).toBe(true);
    expect(entryAdmits("claude/*", "openai/claude")).toBe(false);
    expect(entryAdmits("gpt-*-mini*", "gpt-4o-mini-2024")).toBe(true);
    expect(entryAdmits("gpt-*-mini*", "gpt-4o-nano")).toBe(false);
    expect(entryAdmits("a*a", "a")).toBe(false);
    expect(entryAdmits("*", "")).toBe(true);
  });

  it("counts stars and literal characters, and substitutes every target star", () => {
    expect(starCount("gpt-*-*")).toBe(2);
    expect(literalLength("gpt-*")).toBe(4);
    expect(substitute("prefix-*-and-*", "x")).toBe("prefix-x-and-x");
  });
});
