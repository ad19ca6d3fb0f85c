// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { describe, expect, it } from "vitest";
import { PLACEHOLDER_KEY, simulationEnv } from "./simulation-env.js";

describe("simulationEnv", () => {
  it("fills unset key variables with a placeholder and leaves everything else alone", () => {
    const text = [
      "server: { port: '${PORT:-8787}' }",
      "providers:",
      "  - name: a",
      "    keys:",
      '      - { key: "${A_KEY}" }',
      '      - { key: "${SET_KEY}" }',
      '      - { key: "${EMPTY_KEY}" }',
      '      - { key: "${DEFAULTED:-literal}" }',
      '      - { key: "prefix-${PART}" }',
    ].join("\n");
    const env = simulationEnv(text, { SET_KEY: "real", EMPTY_KEY: "", OTHER: "x" });
    expect(env).toEqual({
      SET_KEY: "real",
      EMPTY_KEY: PLACEHOLDER_KEY,
      OTHER: "x",
      A_KEY: PLACEHOLDER_KEY,
      PART: PLACEHOLDER_KEY,
    });
  });

  it("returns the environment unchanged for text it cannot read", () => {
    expect(simulationEnv("providers: [", { X: "1" })).toEqual({ X: "1" });
    expect(simulationEnv("", {})).toEqual({});
  });
});
