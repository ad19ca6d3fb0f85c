// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { describe, expect, it } from "vitest";
import { lines, PROVIDERS, problemsOf } from "./config-text.test-helper.js";
import { parseConfigText } from "./parse-config-text.js";

describe("parseConfigText: ${VAR} interpolation", () => {
  it("reports an unset variable by name and path, at the reference", () => {
    expect(problemsOf(lines("server:", "  adminKey: x-${ADMIN_KEY}", ...PROVIDERS))).toEqual([
      {
        path: "server.adminKey",
        line: 2,
        column: 15,
        message:
          "environment variable ADMIN_KEY is not set (write ${ADMIN_KEY:-default} for a fallback)",
      },
    ]);
  });

  it("reports every unset variable, and nothing more about the same value", () => {
    const problems = problemsOf(
      lines("server:", "  port: ${PORT}", "  host: ${HOST}", ...PROVIDERS),
    );
    expect(problems.map((problem) => [problem.path, problem.line, problem.column])).toEqual([
      ["server.port", 2, 9],
      ["server.host", 3, 9],
    ]);
  });

  it("turns numeric and boolean text into numbers and booleans, quoted or not", () => {
    const { config } = parseConfigText(
      lines(
        "server:",
        "  port: ${PORT:-8787}",
        '  maxBodyBytes: "${MAX_BODY}"',
        "  cors: ${CORS:-false}",
        ...PROVIDERS,
      ),
      { env: { MAX_BODY: "1024" } },
    );
    expect(config.server.port).toBe(8787);
    expect(config.server.maxBodyBytes).toBe(1024);
    expect(config.server.cors).toBe(false);
  });

  it("treats a value that is one reference and comes out empty as absent", () => {
    const { config } = parseConfigText(
      lines("server:", "  adminKey: ${ADMIN_KEY:-}", "  port: ${PORT}", ...PROVIDERS),
      { env: { PORT: "" } },
    );
    expect(config.server.adminKey).toBeUndefined();
    expect(config.server.port).toBe(8787);
  });

  it("reads $${ as a literal ${ and never touches mapping keys", () => {
    const { config } = parseConfigText(
      lines(
        "providers:",
        "  - name: a",
        "    type: openai",
        "    headers:",
        "      X-Template: $${NOT_A_VAR}",
        '      X-Org: "${ORG}"',
        "      ${KEY_NAME}: v",
        "    keys: [{ key: k }]",
      ),
      { env: { ORG: "org-1", KEY_NAME: "X-Other" } },
    );
    expect(config.providers[0]?.headers).toEqual({
      "X-Template": "${NOT_A_VAR}",
      "X-Org": "org-1",
      "${KEY_NAME}": "v",
    });
  });

  it("keeps a value with YAML syntax in it as plain text", () => {
    const { config } = parseConfigText(lines("server:", "  host: ${HOST}", ...PROVIDERS), {
      env: { HOST: "a\nport: 1 # b" },
    });
    expect(config.server.host).toBe("a\nport: 1 # b");
    expect(config.server.port).toBe(8787);
  });

  it("reports a malformed reference", () => {
    expect(problemsOf(lines("server:", "  host: ab${HOST", ...PROVIDERS))).toEqual([
      {
        path: "server.host",
        line: 2,
        column: 11,
        message: "unclosed ${ (write $${ for a literal ${)",
      },
    ]);
  });

  it("makes an unset client key an error, unlike a provider key", () => {
    const problems = problemsOf(
      lines(...PROVIDERS, "clients:", "  - name: web", "    key: ${WEB_APP_KEY}"),
    );
    expect(problems).toEqual([
      expect.objectContaining({ path: "clients[0].key", line: 8, column: 10 }),
    ]);
    expect(problems[0]?.message).toMatch(/WEB_APP_KEY is not set/);
  });
});

describe("parseConfigText: provider keys from unset variables", () => {
  const text = lines(
    "providers:",
    "  - name: openai-main",
    "    type: openai",
    "    keys:",
    "      - key: ${OPENAI_API_KEY}",
    "      - key: ${OPENAI_API_KEY_2}",
    "        rpm: 10",
    "      - key: sk-${OPENAI_SUFFIX}",
    "  - name: claude",
    "    type: anthropic",
    '    keys: [{ key: "${ANTHROPIC_API_KEY}" }]',
    "  - name: local",
    "    type: openai-compatible",
    "    preset: ollama",
    "models:",
    "  - name: smart",
    "    targets: [{ provider: claude, model: c }]",
  );

  it("leaves out a key whose variable is unset or empty, keeping the others' ids", () => {
    const loaded = parseConfigText(text, { env: { OPENAI_API_KEY_2: "sk-2", OPENAI_API_KEY: "" } });
    expect(loaded.config.providers[0]?.keys).toEqual([
      { key: "sk-2", id: "key-2", weight: 1, rpm: 10 },
    ]);
    expect(loaded.warnings.map((warning) => [warning.path, warning.line, warning.message])).toEqual(
      [
        ["providers[0].keys[0].key", 5, "key left out: OPENAI_API_KEY is not set or empty"],
        ["providers[0].keys[2].key", 8, "key left out: OPENAI_SUFFIX is not set or empty"],
        [
          "providers[1].keys",
          11,
          'provider "claude" has no usable keys (ANTHROPIC_API_KEY is not set or empty); it will be skipped',
        ],
        ["models[0].name", 16, 'model "smart" has no usable targets (skipped providers: claude)'],
        ["clients", 0, "no clients are configured: the gateway will accept requests without a key"],
      ],
    );
    expect(loaded.skippedProviders).toEqual(["claude"]);
    expect(loaded.config.providers[1]?.keys).toEqual([]);
  });

  it("skips a provider with no keys but keeps a local one that needs none", () => {
    const loaded = parseConfigText(text, { env: {} });
    expect(loaded.skippedProviders).toEqual(["openai-main", "claude"]);
    expect(loaded.config.providers.map((provider) => provider.name)).toEqual([
      "openai-main",
      "claude",
      "local",
    ]);
  });

  it("still points problems after a dropped key at the right entry", () => {
    const problems = problemsOf(
      lines(
        "providers:",
        "  - name: a",
        "    type: openai",
        "    keys:",
        "      - key: ${UNSET}",
        "      - { key: k, rpm: -1 }",
      ),
    );
    expect(problems).toEqual([
      {
        path: "providers[0].keys[1].rpm",
        line: 6,
        column: 24,
        message: "must be at least 1, got -1",
      },
    ]);
  });
});
