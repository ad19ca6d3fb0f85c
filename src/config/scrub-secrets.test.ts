import { describe, expect, it } from "vitest";
import { parseConfigText } from "./index.js";
import { configSecrets, scrubSecrets, scrubSecretsDeep } from "./scrub-secrets.js";

const CONFIG = `
server: { adminKey: admin-secret-value }
providers:
  - name: a
    type: openai
    keys: [{ key: plainkey123456 }, { key: sk-prefixed-key-0001 }]
    headers: { x-proxy-token: "Bearer proxy-token-xyz", x-title: switchyard-app }
clients:
  - { name: app, key: virtual-key-0001 }
  - { name: hashed, keyHash: "sha256:${"0".repeat(64)}" }
models:
  - { name: m, targets: [{ provider: a, model: gpt-4o }] }
`;

describe("configSecrets", () => {
  it("collects provider keys, credential headers, client keys and the admin key, longest first", () => {
    const secrets = configSecrets(parseConfigText(CONFIG, { env: {} }).config);
    expect([...secrets].sort()).toEqual(
      [
        "admin-secret-value",
        "plainkey123456",
        "proxy-token-xyz",
        "sk-prefixed-key-0001",
        "virtual-key-0001",
      ].sort(),
    );
    expect(secrets[0]?.length).toBe(Math.max(...secrets.map((secret) => secret.length)));
  });
});

describe("scrubSecrets", () => {
  const secrets = ["plainkey123456", "virtual-key-0001"];

  it("replaces every occurrence of each secret", () => {
    expect(scrubSecrets("bad key plainkey123456 (plainkey123456)", secrets)).toBe(
      "bad key [redacted] ([redacted])",
    );
    expect(scrubSecrets("nothing here", secrets)).toBe("nothing here");
  });

  it("walks objects and arrays, keys included, without touching the input", () => {
    const body = { error: { message: "virtual-key-0001", list: ["plainkey123456", 3, null] } };
    expect(scrubSecretsDeep(body, secrets)).toEqual({
      error: { message: "[redacted]", list: ["[redacted]", 3, null] },
    });
    expect(body.error.message).toBe("virtual-key-0001");
    expect(scrubSecretsDeep({ plainkey123456: 1 }, secrets)).toEqual({ "[redacted]": 1 });
  });
});
