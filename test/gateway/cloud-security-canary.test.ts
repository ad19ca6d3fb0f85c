import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bedrockMockSecret } from "../../src/testing/index.js";
import { HELLO } from "./chat-outcome.js";
import { failoverModel, type Harness, rejectionOf, startHarness } from "./harness.js";

/**
 * Security canaries for the cloud providers: an AWS secret key and session token, an Azure API
 * key, a service-account private key and the access tokens the Vertex token endpoint hands out
 * and a target's upstream header (`targets[].headers`) never appear in log lines, response bodies or
 * headers, `/admin/status` or `/admin/config`, on success or failure, on the translated path and on
 * the Messages pass-through to Claude on Bedrock and Vertex.
 */
const AWS_KEY_ID = "AKIACANARYKEY0001";
const CANARIES = {
  awsSecret: bedrockMockSecret(AWS_KEY_ID),
  wrongAwsSecret: "aws-canary-WRONGSECRET7d2e",
  sessionToken: "aws-canary-SESSIONTOKEN4a9b",
  azureKey: "azure-canary-APIKEY3c5f",
  adminKey: "adm-canary-admin-CLOUDS8e1a",
  /** A target's upstream header, from the environment (`targets[].headers`). */
  targetHeader: "tgt-canary-HEADER5b7d",
};
const folder = mkdtempSync(join(tmpdir(), "switchyard-cloud-canary-"));
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();

let h: Harness<"cloud">;

beforeAll(async () => {
  h = await startHarness<"cloud">({
    mocks: ["cloud"],
    env: { TARGET_HEADER: CANARIES.targetHeader },
    config: (mocks) => {
      const keyFile = join(folder, "key.json");
      writeFileSync(
        keyFile,
        JSON.stringify({
          client_email: "canary@p.iam.gserviceaccount.com",
          private_key: PRIVATE_KEY,
          token_uri: `${mocks.cloud.url}/token`,
        }),
      );
      const bedrock = (name: string, secretAccessKey: string) => ({
        name,
        type: "bedrock",
        region: "us-east-1",
        baseUrl: mocks.cloud.url,
        keys: [{ accessKeyId: AWS_KEY_ID, secretAccessKey, sessionToken: CANARIES.sessionToken }],
      });
      return {
        server: { adminKey: CANARIES.adminKey },
        providers: [
          bedrock("aws", CANARIES.awsSecret),
          bedrock("aws-wrong", CANARIES.wrongAwsSecret),
          {
            name: "gcp",
            type: "vertex",
            project: "p",
            location: "us-east5",
            baseUrl: mocks.cloud.url,
            credentials: { file: keyFile },
          },
          {
            name: "azure",
            type: "azure-openai",
            baseUrl: mocks.cloud.url,
            keys: [{ key: CANARIES.azureKey }],
          },
        ],
        models: [
          withTargetHeader(
            failoverModel("claude", [
              ["aws-wrong", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
              ["aws", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
              ["gcp", "claude-sonnet-4-5@20250929"],
            ]),
          ),
          withTargetHeader(failoverModel("vertex", [["gcp", "gemini-2.5-pro"]])),
          withTargetHeader(
            failoverModel("claude-on-vertex", [["gcp", "claude-sonnet-4-5@20250929"]]),
          ),
          withTargetHeader(failoverModel("gpt", [["azure", "gpt-4o"]])),
        ],
      };
    },
  });
  const openai = h.openai();
  await openai.chat.completions.create({ ...HELLO, model: "claude" });
  for await (const _ of await openai.chat.completions.create({
    ...HELLO,
    model: "claude",
    stream: true,
  })) {
    // drain
  }
  // The Messages pass-through: InvokeModel (after the wrong secret's refusal) and rawPredict.
  const anthropic = h.anthropic();
  const ask = {
    model: "claude",
    max_tokens: 50,
    messages: [{ role: "user" as const, content: "Hi" }],
  };
  await anthropic.messages.create(ask);
  await anthropic.messages.stream(ask).finalMessage();
  await anthropic.messages.create({ ...ask, model: "claude-on-vertex" });
  await openai.chat.completions.create({ ...HELLO, model: "vertex" });
  await openai.chat.completions.create({ ...HELLO, model: "gpt" });
  h.mocks.cloud.enqueueFor("vertex.generate", { error: { kind: "auth" } });
  await rejectionOf(openai.chat.completions.create({ ...HELLO, model: "vertex" }));
  h.mocks.cloud.enqueueFor("azure.chat", {
    error: { kind: "auth", message: `Access denied for key ${CANARIES.azureKey}` },
  });
  await rejectionOf(openai.chat.completions.create({ ...HELLO, model: "gpt" }));
  for (const path of ["/admin/status", "/admin/config"]) {
    const admin = await h.fetch(`${h.url}${path}`, {
      headers: { authorization: `Bearer ${CANARIES.adminKey}` },
    });
    await admin.text();
  }
  await h.settled();
});
afterAll(async () => {
  await h.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A model whose every target sends the canary header (`targets[].headers`, from `${TARGET_HEADER}`). */
function withTargetHeader(model: Record<string, unknown>): Record<string, unknown> {
  const targets = model.targets as Record<string, unknown>[];
  return {
    ...model,
    targets: targets.map((target) => ({
      ...target,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax.
      headers: { "x-proxy-auth": "${TARGET_HEADER}" },
    })),
  };
}

/** Every secret, and every access token the token endpoint handed out (seen upstream). */
function needles(): string[] {
  const tokens = h.mocks.cloud.requests
    .map((request) => request.headers.authorization)
    .filter((value): value is string => value?.startsWith("Bearer ya29.") === true)
    .map((value) => value.slice("Bearer ".length));
  const secrets = Object.entries(CANARIES)
    .filter(([name]) => name !== "adminKey")
    .map(([, value]) => value);
  return [...new Set([...secrets, ...tokens, PRIVATE_KEY.split("\n")[1] ?? ""])];
}

describe("cloud security canaries", () => {
  it("drove the cloud paths: signed, token-authenticated and keyed calls, and failures", () => {
    const routes = new Set(h.mocks.cloud.requests.map((request) => request.route));
    for (const route of [
      "bedrock.converse",
      "bedrock.invoke",
      "bedrock.invoke-with-response-stream",
      "vertex.token",
      "vertex.generate",
      "vertex.raw-predict",
      "azure.chat",
    ]) {
      expect(routes).toContain(route);
    }
    expect(needles().some((needle) => needle.startsWith("ya29."))).toBe(true);
    expect(h.responses.some((response) => response.status >= 400)).toBe(true);
    expect(h.responses.some((response) => response.url.endsWith("/admin/status"))).toBe(true);
    expect(h.responses.some((response) => response.url.endsWith("/admin/config"))).toBe(true);
    // The target header went upstream on every chat call, signed or not.
    const chats = h.mocks.cloud.requests.filter((request) => !request.route.endsWith(".token"));
    const sent = chats.filter(
      (request) => request.headers["x-proxy-auth"] === CANARIES.targetHeader,
    );
    expect(new Set(sent.map((request) => request.route))).toEqual(
      new Set([
        "bedrock.converse",
        "bedrock.converse-stream",
        "bedrock.invoke",
        "bedrock.invoke-with-response-stream",
        "vertex.generate",
        "vertex.raw-predict",
        "azure.chat",
      ]),
    );
  });

  it("no secret or token in any response body or header, admin status included", () => {
    for (const response of h.responses) {
      const text = `${JSON.stringify(response.headers)}\n${response.body}`;
      for (const needle of needles()) expect(text).not.toContain(needle);
    }
  });

  it("no secret or token in any log line", () => {
    const text = h.logger.text();
    for (const needle of needles()) expect(text).not.toContain(needle);
  });
});
