import { describe, expect, it } from "vitest";
import { lines, messageOf, PROVIDERS } from "./config-text.test-helper.js";
import { parseConfigText } from "./parse-config-text.js";
import { looksLikeCredential, REDACTED, redactConfig, redactUrlPassword } from "./redact-config.js";

const SECRET = "sk-live-TOPSECRET-0123456789";

describe("no secret in any problem message", () => {
  const cases: [string, string][] = [
    [
      "a key of the wrong type",
      lines("providers:", `  - { name: a, type: openai, keys: [{ key: [x, ${SECRET}] }] }`),
    ],
    [
      "a key written straight into the list",
      lines("providers:", `  - { name: a, type: openai, keys: [${SECRET}] }`),
    ],
    [
      "a keys value that is a bare string",
      lines("providers:", `  - { name: a, type: openai, keys: ${SECRET} }`),
    ],
    ["a client written as a bare key", lines(...PROVIDERS, `clients: [${SECRET}]`)],
    ["a malformed keyHash", lines(...PROVIDERS, `clients: [{ name: a, keyHash: ${SECRET} }]`)],
    [
      "a duplicate client key",
      lines(
        ...PROVIDERS,
        "clients:",
        `  - { name: a, key: ${SECRET} }`,
        `  - { name: b, key: ${SECRET} }`,
      ),
    ],
    ["an admin key of the wrong type", lines(`server: { adminKey: [${SECRET}] }`, ...PROVIDERS)],
    [
      "a header value of the wrong type",
      lines("providers:", `  - { name: a, type: openai, headers: { Authorization: [${SECRET}] } }`),
    ],
    ["a redis URL with a password", lines(`state: { redis: ftp://u:${SECRET}@h }`, ...PROVIDERS)],
    [
      "a database URL with a password",
      lines(`database: { url: [postgres://u:${SECRET}@h] }`, ...PROVIDERS),
    ],
    [
      "an unclosed quote",
      lines("providers:", "  - name: a", "    keys:", `      - key: "${SECRET}`),
    ],
    [
      "a stray token in a flow mapping",
      lines("providers:", `  - { name: a, key: x ${SECRET} }`, "  }"),
    ],
    [
      "a bad escape",
      lines("providers:", `  - { name: a, type: openai, keys: [{ key: "\\q${SECRET}" }] }`),
    ],
    [
      "a malformed reference in a key",
      lines("providers:", `  - { name: a, type: openai, keys: [{ key: "\${${SECRET}}" }] }`),
    ],
    [
      "an unknown key in a key entry",
      lines("providers:", `  - { name: a, type: openai, keys: [{ key: ${SECRET}, rmp: 1 }] }`),
    ],
  ];
  for (const [name, text] of cases) {
    it(`keeps it out for ${name}`, () => {
      expect(text).toContain(SECRET);
      const message = messageOf(text);
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain("TOPSECRET");
    });
  }

  it("shows a failing key value as ***", () => {
    const message = messageOf(
      lines("providers:", "  - { name: a, type: openai, keys: [{ key: 12345 }] }"),
    );
    expect(message).toBe("switchyard.yaml:2:44 providers[0].keys[0].key: expected text, got ***");
  });
});

describe("redactConfig", () => {
  const text = lines(
    "server: { adminKey: admin-secret }",
    "providers:",
    "  - name: a",
    "    type: openai",
    "    headers:",
    "      Authorization: Bearer abc",
    "      X-Title: switchyard",
    "      X-Custom: sk-abcdef",
    "      X-Trace: 4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f",
    "    keys: [{ key: sk-provider }, { key: sk-provider-2, id: backup }]",
    "clients:",
    "  - { name: web, key: client-secret }",
    `  - { name: app, keyHash: "sha256:${"a".repeat(64)}" }`,
    'state: { redis: "redis://default:redis-pass@127.0.0.1:6379/0" }',
    'database: { url: "postgres://app:db-pass@db:5432/sy?sslmode=require&password=also" }',
  );

  it("replaces every secret and leaves the rest", () => {
    const { config } = parseConfigText(text, { env: {} });
    const redacted = redactConfig(config);
    expect(redacted.server.adminKey).toBe(REDACTED);
    expect(redacted.providers[0]?.keys.map((entry) => [entry.id, entry.key])).toEqual([
      ["key-1", REDACTED],
      ["backup", REDACTED],
    ]);
    expect(redacted.providers[0]?.headers).toEqual({
      Authorization: REDACTED,
      "X-Title": "switchyard",
      "X-Custom": REDACTED,
      "X-Trace": REDACTED,
    });
    expect(redacted.clients?.map((client) => [client.key, client.keyHash])).toEqual([
      [REDACTED, undefined],
      [undefined, REDACTED],
    ]);
    expect(redacted.state?.redis).toBe(`redis://default:${REDACTED}@127.0.0.1:6379/0`);
    expect(redacted.database?.url).toBe(
      `postgres://app:${REDACTED}@db:5432/sy?sslmode=require&password=${REDACTED}`,
    );
    const shown = JSON.stringify(redacted);
    for (const secret of [
      "admin-secret",
      "sk-provider",
      "client-secret",
      "redis-pass",
      "db-pass",
      "also",
      "Bearer",
    ]) {
      expect(shown).not.toContain(secret);
    }
  });

  it("does not change its input", () => {
    const { config } = parseConfigText(text, { env: {} });
    const before = structuredClone(config);
    redactConfig(config);
    expect(config).toEqual(before);
  });

  it("leaves URLs without a password alone", () => {
    expect(redactUrlPassword("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(redactUrlPassword("postgres://app@db/sy")).toBe("postgres://app@db/sy");
    expect(redactUrlPassword("sqlite:./switchyard.db")).toBe("sqlite:./switchyard.db");
  });

  it("judges headers by name and by the look of the value", () => {
    expect(looksLikeCredential("x-api-key", "short")).toBe(true);
    expect(looksLikeCredential("Cookie", "a=b")).toBe(true);
    expect(looksLikeCredential("X-Forwarded", "Basic dXNlcjpwYXNz")).toBe(true);
    expect(looksLikeCredential("HTTP-Referer", "https://example.com")).toBe(false);
    expect(looksLikeCredential("X-Title", "My App")).toBe(false);
  });
});
