// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { lines, messageOf, problemsOf } from "./config-text.test-helper.js";
import { parseConfigText } from "./parse-config-text.js";

const TWO_PROVIDERS = [
  "providers:",
  "  - name: openai-main",
  "    type: openai",
  "    keys: [{ key: k1 }]",
  "    models: [gpt-4o-mini]",
  "  - name: claude",
  "    type: anthropic",
  "    keys: [{ key: k2 }]",
];

describe("cross-checks", () => {
  it("names an unknown provider in a target, listing the known ones", () => {
    const text = lines(
      ...TWO_PROVIDERS,
      "models:",
      "  - name: smart",
      "    targets:",
      "      - provider: openai-main",
      "        model: gpt-4o",
      "      - provider: claud",
      "        model: claude-sonnet-4-5",
    );
    expect(messageOf(text)).toBe(
      'switchyard.yaml:14:19 models[0].targets[1].provider: unknown provider "claud" (known: openai-main, claude)',
    );
  });

  it("allows api only on targets of providers that speak both chat APIs, pointing at the key", () => {
    const text = lines(
      ...TWO_PROVIDERS,
      "models:",
      "  - name: smart",
      "    targets:",
      "      - { provider: openai-main, model: gpt-5, api: responses }",
      "      - provider: claude",
      "        model: claude-sonnet-4-5",
      "        api: responses",
    );
    expect(messageOf(text)).toBe(
      "switchyard.yaml:15:9 models[0].targets[1].api: only openai and openai-compatible providers take api (claude is anthropic)",
    );
    const provider = lines(
      "providers:",
      "  - { name: c, type: anthropic, api: chat, keys: [{ key: k }] }",
    );
    expect(messageOf(provider)).toContain(
      "providers[0].api: only openai and openai-compatible providers take api",
    );
  });

  it("requires unique provider, model and client names, pointing at the repeat", () => {
    const problems = problemsOf(
      lines(
        ...TWO_PROVIDERS,
        "  - { name: claude, type: anthropic, keys: [{ key: k3 }] }",
        "models:",
        "  - { name: smart, targets: [{ provider: claude, model: a }] }",
        "  - { name: smart, targets: [{ provider: claude, model: b }] }",
        "clients:",
        "  - { name: web, key: c1 }",
        "  - { name: web, key: c2 }",
      ),
    );
    expect(
      problems.map((problem) => [problem.path, problem.line, problem.column, problem.message]),
    ).toEqual([
      ["providers[2].name", 9, 13, 'duplicate provider name "claude" (also providers[1])'],
      ["models[1].name", 12, 13, 'duplicate model name "smart" (also models[0])'],
      ["clients[1].name", 15, 13, 'duplicate client name "web" (also clients[0])'],
    ]);
  });

  it("lets a client allow logical models and directly served ones, nothing else", () => {
    const text = lines(
      ...TWO_PROVIDERS,
      "models:",
      "  - { name: smart, targets: [{ provider: claude, model: a }] }",
      "clients:",
      "  - name: web",
      "    key: c1",
      "    models: [smart, gpt-4o-mini, smrt]",
    );
    expect(problemsOf(text)).toEqual([
      {
        path: "clients[0].models[2]",
        line: 14,
        column: 34,
        message:
          'unknown model "smrt" (known: smart, gpt-4o-mini; or a pattern with "*", or provider/model)',
      },
    ]);
  });

  it("lets a client allow patterns, provider/model names and names a wildcard model serves", () => {
    const text = lines(
      ...TWO_PROVIDERS,
      "models:",
      "  - { name: gpt-*, targets: [{ provider: openai-main, model: gpt-* }] }",
      "clients:",
      "  - name: web",
      "    key: c1",
      "    models: [claude/*, openai-main/gpt-4o, gpt-4.1-nano, nobody/x]",
    );
    expect(problemsOf(text).map((problem) => problem.path)).toEqual(["clients[0].models[3]"]);
  });

  it("locates wildcard mistakes: two stars in a name, a target star without a name star", () => {
    const text = lines(
      ...TWO_PROVIDERS,
      "models:",
      "  - { name: gpt-*-*, targets: [{ provider: openai-main, model: gpt-* }] }",
      "  - { name: fixed, targets: [{ provider: openai-main, model: gpt-* }] }",
    );
    expect(problemsOf(text)).toEqual([
      {
        path: "models[0].name",
        line: 10,
        column: 13,
        message: 'a model name may have one "*" (got 2)',
      },
      {
        path: "models[1].targets[0].model",
        line: 11,
        column: 62,
        message:
          '"*" in a target\'s model stands for what the model name\'s "*" matched, but the name "fixed" has none',
      },
    ]);
  });

  it("checks the keyHash format without showing it", () => {
    const problems = problemsOf(
      lines(...TWO_PROVIDERS, "clients:", "  - name: web", "    keyHash: sha256:abc123"),
    );
    expect(problems).toEqual([
      {
        path: "clients[0].keyHash",
        line: 11,
        column: 14,
        message: 'must be "sha256:" followed by 64 hex digits (got ***)',
      },
    ]);
  });

  it("wants exactly one of key and keyHash per client", () => {
    const hash = `sha256:${"0".repeat(64)}`;
    const problems = problemsOf(
      lines(
        ...TWO_PROVIDERS,
        "clients:",
        "  - name: none",
        "    models: []",
        "  - name: both",
        "    key: c1",
        `    keyHash: "${hash}"`,
      ),
    );
    expect(problems.map((problem) => [problem.path, problem.line, problem.message])).toEqual([
      ["clients[0]", 10, "a client needs a key or a keyHash"],
      ["clients[1].keyHash", 14, "give a client a key or a keyHash, not both"],
    ]);
  });

  it("refuses two clients with the same key, even when one gives its hash", () => {
    const hash = `sha256:${createHash("sha256").update("shared-key").digest("hex")}`;
    const problems = problemsOf(
      lines(
        ...TWO_PROVIDERS,
        "clients:",
        "  - { name: a, key: shared-key }",
        `  - { name: b, keyHash: "${hash.toUpperCase().replace("SHA256", "sha256")}" }`,
      ),
    );
    expect(problems).toEqual([
      {
        path: "clients[1].keyHash",
        line: 11,
        column: 25,
        message: "same key as clients[0]; every client needs its own key",
      },
    ]);
  });

  it("finds cross-check problems alongside schema problems", () => {
    const problems = problemsOf(
      lines(
        ...TWO_PROVIDERS,
        "models:",
        "  - name: smart",
        "    timeoutMs: soon",
        "    targets: [{ provider: nobody, model: a }]",
      ),
    );
    expect(problems.map((problem) => problem.path)).toEqual([
      "models[0].timeoutMs",
      "models[0].targets[0].provider",
    ]);
  });

  it("needs at least one target per model and one provider", () => {
    expect(problemsOf(lines(...TWO_PROVIDERS, "models:", "  - { name: m, targets: [] }"))).toEqual([
      { path: "models[0].targets", line: 10, column: 25, message: "must list at least 1 item" },
    ]);
    expect(problemsOf(lines("providers: []"))[0]?.message).toBe("must list at least 1 item");
  });

  it("accepts a target on a provider that is skipped for want of keys", () => {
    const loaded = parseConfigText(
      lines(
        "providers:",
        '  - { name: a, type: gemini, keys: [{ key: "${GEMINI_API_KEY}" }] }',
        "models:",
        "  - { name: m, targets: [{ provider: a, model: g }] }",
      ),
      { env: {} },
    );
    expect(loaded.skippedProviders).toEqual(["a"]);
  });
});
