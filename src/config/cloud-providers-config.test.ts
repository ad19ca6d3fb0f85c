// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { describe, expect, it } from "vitest";
import { lines, problemsOf } from "./config-text.test-helper.js";
import { parseConfigText } from "./parse-config-text.js";
import { redactConfig } from "./redact-config.js";

/** The config shape for the three clouds (YAML needs `${VAR}` quoted inside `{ }`). */
const CLOUDS = lines(
  "providers:",
  "  - name: azure-east",
  "    type: azure-openai",
  "    baseUrl: https://my-resource.openai.azure.com",
  '    apiVersion: "2024-10-21"',
  "    deployments: { gpt-4o: prod-gpt4o }",
  '    keys: [{ key: "${AZURE_OPENAI_API_KEY}" }]',
  "  - name: azure-entra",
  "    type: azure-openai",
  "    baseUrl: https://my-resource.openai.azure.com",
  '    auth: { type: entra, tenantId: t, clientId: c, clientSecret: "${AZURE_CLIENT_SECRET}" }',
  "  - name: bedrock-us",
  "    type: bedrock",
  "    region: us-east-1",
  '    keys: [{ accessKeyId: "${AWS_ACCESS_KEY_ID}", secretAccessKey: "${AWS_SECRET_ACCESS_KEY}", sessionToken: "${AWS_SESSION_TOKEN:-}" }]',
  "  - name: vertex-eu",
  "    type: vertex",
  "    project: my-project",
  "    location: europe-west1",
  "    credentials: { file: ./service-account.json }",
  "models:",
  "  - name: claude",
  "    targets:",
  "      - { provider: bedrock-us, model: anthropic.claude-sonnet-4-5-v1:0 }",
  "      - { provider: vertex-eu, model: claude-sonnet-4-5@20250929 }",
  "      - { provider: vertex-eu, model: my-tuned-claude, publisher: anthropic }",
);
const ENV = {
  AZURE_OPENAI_API_KEY: "azure-key-canary-1234",
  AZURE_CLIENT_SECRET: "entra-secret-canary-5678",
  AWS_ACCESS_KEY_ID: "AKIACANARY000001",
  AWS_SECRET_ACCESS_KEY: "aws-secret-canary-9012",
};

describe("cloud provider config", () => {
  it("accepts the documented shape; an empty session token is left out", () => {
    const { config, skippedProviders } = parseConfigText(CLOUDS, { env: ENV });
    expect(skippedProviders).toEqual([]);
    const bedrock = config.providers.find((provider) => provider.name === "bedrock-us");
    expect(bedrock?.keys[0]).toMatchObject({
      accessKeyId: "AKIACANARY000001",
      secretAccessKey: "aws-secret-canary-9012",
    });
    expect(bedrock?.keys[0]?.sessionToken).toBeUndefined();
    expect(config.models[0]?.targets[2]?.publisher).toBe("anthropic");
  });

  it("redacts AWS keys, session tokens and Entra client secrets", () => {
    const { config } = parseConfigText(CLOUDS, {
      env: { ...ENV, AWS_SESSION_TOKEN: "session-canary-3456" },
    });
    const text = JSON.stringify(redactConfig(config));
    for (const secret of [...Object.values(ENV), "session-canary-3456"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("drops a bedrock key whose variables are unset, leaving the default chain", () => {
    const { config } = parseConfigText(CLOUDS, {
      env: { AZURE_OPENAI_API_KEY: "k", AZURE_CLIENT_SECRET: "s" },
    });
    const bedrock = config.providers.find((provider) => provider.name === "bedrock-us");
    expect(bedrock?.keys).toEqual([]);
  });

  it("locates fields on the wrong type, missing required fields and misplaced publishers", () => {
    const problems = problemsOf(
      lines(
        "providers:",
        "  - name: a",
        "    type: openai",
        "    region: us-east-1",
        "    keys: [{ key: k }]",
        "  - name: b",
        "    type: bedrock",
        "    keys: [{ key: k }]",
        "  - name: v",
        "    type: vertex",
        "    project: p",
        "models:",
        "  - name: m",
        "    targets: [{ provider: a, model: x, publisher: google }]",
      ),
    ).map((problem) => [problem.path, problem.message]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ["providers[0].region", "only bedrock providers take region (this one is openai)"],
        ["providers[1].region", "a bedrock provider needs region"],
        [
          "providers[1].keys[0].key",
          "a bedrock key is an accessKeyId and a secretAccessKey (and a sessionToken)",
        ],
        ["providers[2].location", "a vertex provider needs location"],
        [
          "models[0].targets[0].publisher",
          "only targets on vertex providers take a publisher (a is openai)",
        ],
      ]),
    );
  });
});
