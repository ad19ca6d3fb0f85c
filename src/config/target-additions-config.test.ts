// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { describe, expect, it } from "vitest";
import { lines, messageOf, PROVIDERS, problemsOf } from "./config-text.test-helper.js";
import { parseConfigText } from "./parse-config-text.js";
import { redactConfig } from "./redact-config.js";
import { configSecrets } from "./scrub-secrets.js";

const model = (...target: string[]) =>
  lines(
    ...PROVIDERS,
    "models:",
    "  - name: smart",
    "    targets:",
    "      - provider: openai-main",
    "        model: gpt-4o",
    ...target.map((line) => `        ${line}`),
  );

describe("targets[].params, overrideParams and headers", () => {
  it("loads them, header names lower-cased, overrideParams off by default", () => {
    const { config } = parseConfigText(
      model(
        "params: { temperature: 0.2, reasoning: { effort: low } }",
        "headers: { X-Title: Switchyard, Helicone-Auth: '${HELICONE}' }",
      ),
      { env: { HELICONE: "Bearer sk-helicone-canary-0042" } },
    );
    const target = config.models[0]?.targets[0];
    expect(target?.params).toEqual({ temperature: 0.2, reasoning: { effort: "low" } });
    expect(target?.overrideParams).toBeUndefined();
    expect(target?.headers).toEqual({
      "x-title": "Switchyard",
      "helicone-auth": "Bearer sk-helicone-canary-0042",
    });
    expect(config.models[0]?.contentFilterFallback).toBeUndefined();
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain("sk-helicone-canary-0042");
    expect(shown).toContain("Switchyard");
    expect(configSecrets(config)).toContain("sk-helicone-canary-0042");
  });

  it("refuses params that set model or stream, at their line", () => {
    const problems = problemsOf(model("params:", "  model: gpt-5", "  stream: true"));
    expect(problems).toEqual([
      expect.objectContaining({
        path: "models[0].targets[0].params.model",
        line: 12,
        message: expect.stringMatching(/params cannot set model: .*target's model/),
      }),
      expect.objectContaining({
        path: "models[0].targets[0].params.stream",
        line: 13,
        message: expect.stringMatching(/params cannot set stream: .*client's choice/),
      }),
    ]);
  });

  it("refuses headers the HTTP layer sets, and never shows a header value", () => {
    const problems = problemsOf(model("headers: { Host: 'secret-host-value-1' }"));
    expect(problems[0]).toMatchObject({ path: "models[0].targets[0].headers.Host", line: 11 });
    expect(problems[0]?.message).toMatch(/HTTP layer sets this header/);
    const message = messageOf(model("headers: { x-key: 42 }"));
    expect(message).toMatch(/models\[0\]\.targets\[0\]\.headers\.x-key/);
    expect(message).not.toContain("42");
  });
});
