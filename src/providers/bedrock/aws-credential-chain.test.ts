/**
 * The AWS default credential chain (`@aws-sdk/credential-providers`' `fromNodeProviderChain`), each
 * source against a local stand-in where the SDK takes an endpoint override: environment variables,
 * shared credentials and config files (a profile by AWS_PROFILE), an SSO profile (its cached token
 * under HOME, the portal at AWS_ENDPOINT_URL_SSO), web identity (STS at AWS_ENDPOINT_URL_STS), ECS
 * container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI on loopback)
 * and EC2 instance metadata (AWS_EC2_METADATA_SERVICE_ENDPOINT). The credentials each hands out sign
 * a Converse request the Bedrock mock verifies. The SDK reads these variables when the chain runs,
 * not when it loads, so the test sets them in its own process (vitest gives each file its own) and
 * restores them after. Nothing leaves 127.0.0.1: instance metadata is disabled except where the
 * stand-in serves it. Expiry is a timestamp the stand-in hands out; no test waits on real time
 * (our own refresh rule is tested on a fake clock in create-bedrock-provider.test.ts).
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ProviderContext } from "../../engine/provider.js";
import { bedrockMockSecret, signedAccessKeyId } from "../../testing/builtin-mock-vendors.js";
import {
  type MockProviderServer,
  startMockProviderServer,
} from "../../testing/mock-provider-server.js";
import { createBedrockProvider } from "./create-bedrock-provider.js";

const folder = mkdtempSync(join(tmpdir(), "switchyard-aws-chain-"));
const context = (): ProviderContext => ({
  signal: new AbortController().signal,
  attempt: 1,
  targetId: "bedrock-chain",
});
const ask = {
  model: "anthropic.claude-sonnet-4-5-20250929-v1:0",
  messages: [{ role: "user" as const, content: "Hi" }],
};

/** A tiny HTTP stand-in on 127.0.0.1 that records what it was asked. */
interface StandIn {
  url: string;
  requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

async function standIn(
  answer: (request: { method: string; url: string; body: string }) => {
    status?: number;
    type?: string;
    body: string;
  },
): Promise<StandIn> {
  const requests: StandIn["requests"] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      const seen = { method: request.method ?? "", url: request.url ?? "", body };
      requests.push({ ...seen, headers: request.headers });
      const reply = answer(seen);
      response.writeHead(reply.status ?? 200, { "content-type": reply.type ?? "application/json" });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Temporary credentials as ECS and EC2 metadata hand them out. */
const metadataCredentials = (id: string, expiresInMs: number) =>
  JSON.stringify({
    Code: "Success",
    Type: "AWS-HMAC",
    AccessKeyId: id,
    SecretAccessKey: bedrockMockSecret(id),
    Token: `token-${id}`,
    Expiration: new Date(Date.now() + expiresInMs).toISOString(),
    LastUpdated: new Date().toISOString(),
  });

const saved = { ...process.env };
/** Sets the chain's environment: every AWS_ variable cleared, no files, no instance metadata. */
function environment(variables: Record<string, string>): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("AWS_")) delete process.env[name];
  }
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: join(folder, "no-credentials"),
    AWS_CONFIG_FILE: join(folder, "no-config"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...variables,
  });
}

let mock: MockProviderServer;
const standIns: StandIn[] = [];
beforeAll(async () => {
  mock = await startMockProviderServer();
});
afterEach(async () => {
  process.env = { ...saved };
  mock.reset();
  await Promise.all(standIns.splice(0).map((server) => server.close()));
});
afterAll(async () => {
  await mock.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A provider without keys (so on the default chain) signing against the Bedrock mock. */
async function signedWith(calls = 1): Promise<{ keyIds: string[]; tokens: unknown[] }> {
  const provider = createBedrockProvider({ region: "us-east-1", baseUrl: mock.url });
  try {
    for (let call = 0; call < calls; call += 1) await provider.generate(ask, context());
  } finally {
    await provider.close();
  }
  return {
    keyIds: mock.requests.map((request) => signedAccessKeyId(request.headers.authorization) ?? ""),
    tokens: mock.requests.map((request) => request.headers["x-amz-security-token"]),
  };
}

describe("the AWS default credential chain, source by source", () => {
  it("environment variables, session token included", async () => {
    environment({
      AWS_ACCESS_KEY_ID: "AKIAFROMENV",
      AWS_SECRET_ACCESS_KEY: bedrockMockSecret("AKIAFROMENV"),
      AWS_SESSION_TOKEN: "env-session",
    });
    expect(await signedWith()).toEqual({ keyIds: ["AKIAFROMENV"], tokens: ["env-session"] });
  });

  it("the shared credentials file, and a profile of the config file chosen by AWS_PROFILE", async () => {
    const credentials = join(folder, "credentials");
    const config = join(folder, "config");
    writeFileSync(
      credentials,
      `[default]\naws_access_key_id = AKIAFILEDEFAULT\naws_secret_access_key = ${bedrockMockSecret("AKIAFILEDEFAULT")}\n`,
    );
    writeFileSync(
      config,
      `[profile team]\naws_access_key_id = AKIAFILETEAM\naws_secret_access_key = ${bedrockMockSecret("AKIAFILETEAM")}\naws_session_token = team-session\n`,
    );
    environment({ AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config });
    expect((await signedWith()).keyIds).toEqual(["AKIAFILEDEFAULT"]);
    mock.reset();
    environment({
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_CONFIG_FILE: config,
      AWS_PROFILE: "team",
    });
    expect(await signedWith()).toEqual({ keyIds: ["AKIAFILETEAM"], tokens: ["team-session"] });
  });

  it("web identity: the token file exchanged at STS (AWS_ENDPOINT_URL_STS) for the role's credentials", async () => {
    const sts = await standIn(() => ({
      type: "text/xml",
      body: `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIAWEBIDENTITY</AccessKeyId>
      <SecretAccessKey>${bedrockMockSecret("ASIAWEBIDENTITY")}</SecretAccessKey>
      <SessionToken>web-session</SessionToken>
      <Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>system:serviceaccount:default:gateway</SubjectFromWebIdentityToken>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/gateway/switchyard</Arn>
      <AssumedRoleId>AROAEXAMPLE:switchyard</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`,
    }));
    standIns.push(sts);
    const tokenFile = join(folder, "web-identity-token");
    writeFileSync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.k8s-service-account-token.sig");
    environment({
      AWS_REGION: "us-east-1",
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/gateway",
      AWS_ROLE_SESSION_NAME: "switchyard",
      AWS_ENDPOINT_URL_STS: sts.url,
    });
    expect(await signedWith()).toEqual({ keyIds: ["ASIAWEBIDENTITY"], tokens: ["web-session"] });
    const form = new URLSearchParams(sts.requests[0]?.body ?? "");
    expect(form.get("Action")).toBe("AssumeRoleWithWebIdentity");
    expect(form.get("RoleArn")).toBe("arn:aws:iam::123456789012:role/gateway");
    expect(form.get("WebIdentityToken")).toBe("eyJhbGciOiJSUzI1NiJ9.k8s-service-account-token.sig");
  });

  it("ECS container credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI, with the authorization token", async () => {
    const ecs = await standIn(() => ({ body: metadataCredentials("ASIAECSTASK", 3_600_000) }));
    standIns.push(ecs);
    environment({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ecs.url}/v2/credentials/task-role`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "ecs-auth-token",
    });
    expect(await signedWith()).toEqual({
      keyIds: ["ASIAECSTASK"],
      tokens: ["token-ASIAECSTASK"],
    });
    expect(ecs.requests[0]).toMatchObject({ method: "GET", url: "/v2/credentials/task-role" });
    expect(ecs.requests[0]?.headers.authorization).toBe("ecs-auth-token");
  });

  it("EC2 instance metadata (IMDSv2: a session token, then the role's credentials)", async () => {
    const imds = await standIn(({ method, url }) => {
      if (method === "PUT" && url === "/latest/api/token")
        return { type: "text/plain", body: "imds-session" };
      if (
        url.endsWith("/security-credentials/") ||
        url.endsWith("/security-credentials-extended/")
      ) {
        return { type: "text/plain", body: "gateway-role" };
      }
      if (url.endsWith("/gateway-role"))
        return { body: metadataCredentials("ASIAEC2ROLE", 3_600_000) };
      return { status: 404, type: "text/plain", body: "Not Found" };
    });
    standIns.push(imds);
    environment({
      AWS_EC2_METADATA_DISABLED: "false",
      AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
    });
    expect(await signedWith()).toEqual({ keyIds: ["ASIAEC2ROLE"], tokens: ["token-ASIAEC2ROLE"] });
    expect(imds.requests[0]).toMatchObject({ method: "PUT", url: "/latest/api/token" });
    const reads = imds.requests.filter((request) => request.method === "GET");
    expect(
      reads.every((request) => request.headers["x-aws-ec2-metadata-token"] === "imds-session"),
    ).toBe(true);
  });

  it("an SSO profile: the cached SSO token exchanged at the portal (AWS_ENDPOINT_URL_SSO)", async () => {
    const portal = await standIn(() => ({
      body: JSON.stringify({
        roleCredentials: {
          accessKeyId: "ASIASSOROLE",
          secretAccessKey: bedrockMockSecret("ASIASSOROLE"),
          sessionToken: "sso-session-token",
          expiration: Date.now() + 3_600_000,
        },
      }),
    }));
    standIns.push(portal);
    const home = mkdtempSync(join(folder, "home-"));
    const cache = join(home, ".aws", "sso", "cache");
    mkdirSync(cache, { recursive: true });
    // The SDK finds an sso-session's token under the SHA-1 of the session's name.
    writeFileSync(
      join(cache, `${createHash("sha1").update("corp").digest("hex")}.json`),
      JSON.stringify({
        accessToken: "sso-access-token",
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        region: "us-east-1",
        startUrl: "https://corp.awsapps.com/start",
      }),
    );
    const config = join(folder, "sso-config");
    writeFileSync(
      config,
      [
        "[profile dev]",
        "sso_session = corp",
        "sso_account_id = 123456789012",
        "sso_role_name = Gateway",
        "region = us-east-1",
        "[sso-session corp]",
        "sso_start_url = https://corp.awsapps.com/start",
        "sso_region = us-east-1",
        "",
      ].join("\n"),
    );
    environment({ AWS_CONFIG_FILE: config, AWS_PROFILE: "dev", AWS_ENDPOINT_URL_SSO: portal.url });
    process.env.HOME = home;
    expect(await signedWith()).toEqual({
      keyIds: ["ASIASSOROLE"],
      tokens: ["sso-session-token"],
    });
    expect(portal.requests[0]?.url).toBe(
      "/federation/credentials?account_id=123456789012&role_name=Gateway",
    );
    expect(portal.requests[0]?.headers["x-amz-sso_bearer_token"]).toBe("sso-access-token");
  });

  it("temporary credentials are reused while far from expiry and fetched again within five minutes of it", async () => {
    let expiresInMs = 3_600_000;
    let handed = 0;
    const ecs = await standIn(() => {
      handed += 1;
      return { body: metadataCredentials(`ASIAROTATE${handed}`, expiresInMs) };
    });
    standIns.push(ecs);
    environment({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ecs.url}/creds` });
    expect((await signedWith(2)).keyIds).toEqual(["ASIAROTATE1", "ASIAROTATE1"]);
    mock.reset();
    expiresInMs = 240_000; // four minutes: inside the refresh margin, so every use fetches afresh
    expect((await signedWith(2)).keyIds).toEqual(["ASIAROTATE2", "ASIAROTATE3"]);
  });

  it("no source at all is an auth failure of the provider, naming no secret", async () => {
    environment({});
    const provider = createBedrockProvider({
      name: "bedrock-us",
      region: "us-east-1",
      baseUrl: mock.url,
    });
    try {
      await expect(provider.generate(ask, context())).rejects.toMatchObject({
        kind: "auth",
        provider: "bedrock-us",
        message: expect.stringContaining("could not get AWS credentials"),
      });
      expect(mock.requests).toHaveLength(0);
    } finally {
      await provider.close();
    }
  });
});
