// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeInterpolation, interpolateEnv } from "./interpolate-env.js";

describe("interpolateEnv", () => {
  const env = { KEY: "sk-1", EMPTY: "", PORT: "9000" };

  it("replaces ${VAR} with its value and lists the variables", () => {
    const result = interpolateEnv("Bearer ${KEY} on ${PORT}", env);
    expect(result.value).toBe("Bearer sk-1 on 9000");
    expect(result.variables).toEqual(["KEY", "PORT"]);
    expect(result.unset).toEqual([]);
    expect(result.wholeReference).toBe(false);
  });

  it("takes the default of ${VAR:-default} when VAR is unset or empty, as a shell does", () => {
    expect(interpolateEnv("${MISSING:-8787}", env).value).toBe("8787");
    expect(interpolateEnv("${EMPTY:-fallback}", env).value).toBe("fallback");
    expect(interpolateEnv("${PORT:-8787}", env).value).toBe("9000");
    expect(interpolateEnv("${MISSING:-}", env).value).toBe("");
    expect(interpolateEnv("${MISSING:-a:b-c}", env).value).toBe("a:b-c");
  });

  it("keeps an empty variable empty for ${VAR}", () => {
    const result = interpolateEnv("${EMPTY}", env);
    expect(result.value).toBe("");
    expect(result.unset).toEqual([]);
  });

  it("reports an unset variable without a default", () => {
    const result = interpolateEnv("x-${NOPE}-y", env);
    expect(result.unset).toEqual(["NOPE"]);
    expect(result.value).toBe("x--y");
  });

  it("knows when the whole text is a single reference", () => {
    expect(interpolateEnv("${KEY}", env).wholeReference).toBe(true);
    expect(interpolateEnv("${MISSING:-x}", env).wholeReference).toBe(true);
    expect(interpolateEnv(" ${KEY}", env).wholeReference).toBe(false);
    expect(interpolateEnv("${KEY}${PORT}", env).wholeReference).toBe(false);
  });

  it("reads $${ as a literal ${", () => {
    expect(interpolateEnv("cost: $${KEY}", env).value).toBe("cost: ${KEY}");
    expect(interpolateEnv("$${KEY}", env).variables).toEqual([]);
    expect(interpolateEnv("$$${KEY}", env).value).toBe("$${KEY}");
  });

  it("leaves a lone $ alone", () => {
    expect(interpolateEnv("price $5 {x}", env).value).toBe("price $5 {x}");
  });

  it("reports malformed references with their offset", () => {
    expect(interpolateEnv("ab${KEY", env).errors).toEqual([
      { offset: 2, message: expect.stringContaining("unclosed") },
    ]);
    expect(interpolateEnv("${1BAD}", env).errors[0]?.message).toMatch(/malformed/);
    expect(interpolateEnv("${}", env).errors).toHaveLength(1);
  });

  it("never throws, and escaped text always comes back unchanged", () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.string()), (text, variables) => {
        interpolateEnv(text, variables);
        const escaped = interpolateEnv(escapeInterpolation(text), variables);
        expect(escaped.value).toBe(text);
        expect(escaped.variables).toEqual([]);
        expect(escaped.errors).toEqual([]);
      }),
    );
  });
});
