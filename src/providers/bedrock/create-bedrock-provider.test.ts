import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderContext } from "../../engine/provider.js";
import { bedrockMockSecret } from "../../testing/builtin-mock-vendors.js";
import {
  type MockProviderServer,
  startMockProviderServer,
} from "../../testing/mock-provider-server.js";
import { rejection } from "../shared/rejection.test-helper.js";
import type { AwsCredentials } from "./aws-credentials.js";
import { createBedrockProvider } from "./create-bedrock-provider.js";
import { signRequest } from "./sign-request.js";

const context = (): ProviderContext => ({
  signal: new AbortController().signal,
  attempt: 1,
  targetId: "bedrock-test",
});
const ask = {
  model: "anthropic.claude-sonnet-4-5-20250929-v1:0",
  messages: [{ role: "user" as const, content: "Hi" }],
};
const keyPair = (accessKeyId: string, sessionToken?: string): AwsCredentials => ({
  accessKeyId,
  secretAccessKey: bedrockMockSecret(accessKeyId),
  ...(sessionToken === undefined ? {} : { sessionToken }),
});

describe("createBedrockProvider against the Bedrock mock", () => {
  let mock: MockProviderServer;
  beforeAll(async () => {
    mock = await startMockProviderServer();
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it("signs with SigV4 for bedrock in its region, with the session token, on the Converse path", async () => {
    const provider = createBedrockProvider({
      region: "eu-west-1",
      baseUrl: mock.url,
      credentials: keyPair("AKIASESSION", "session-token-1"),
    });
    try {
      const result = await provider.generate(ask, context());
      expect(result).toMatchObject({ adapterType: "bedrock", model: ask.model });
      expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
      const sent = mock.requests[0];
      expect(sent?.path).toBe("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse");
      expect(sent?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIASESSION\/\d{8}\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=[^,]*x-amz-security-token/,
      );
      expect(sent?.headers["x-amz-security-token"]).toBe("session-token-1");
    } finally {
      await provider.close();
    }
  });

  it("a wrong secret is refused by the mock with InvalidSignatureException, an auth failure", async () => {
    const provider = createBedrockProvider({
      name: "bedrock-us",
      region: "us-east-1",
      baseUrl: mock.url,
      credentials: { accessKeyId: "AKIAWRONG", secretAccessKey: "not-the-secret-canary" },
    });
    try {
      mock.enqueue({ reply: { text: "never sent" } });
      const error = await rejection(provider.generate(ask, context()));
      expect(error).toMatchObject({
        kind: "auth",
        status: 403,
        vendorCode: "InvalidSignatureException",
      });
      expect(error.message).not.toContain("not-the-secret-canary");
      expect(mock.pending).toBe(1); // a refused request uses no scripted behaviour
    } finally {
      await provider.close();
    }
  });

  it("takes credentials from a source, refreshed before they expire, and a failing source is auth", async () => {
    const clock = { nowMs: Date.parse("2026-01-01T00:00:00Z") };
    const handed: string[] = [];
    let failing = false;
    const provider = createBedrockProvider({
      name: "bedrock-us",
      region: "us-east-1",
      baseUrl: mock.url,
      now: () => clock.nowMs,
      credentialSource: async () => {
        if (failing) throw new Error("could not load credentials from any providers");
        const id = `AKIATEMP${handed.length + 1}`;
        handed.push(id);
        return { ...keyPair(id, `token-${id}`), expiration: new Date(clock.nowMs + 3_600_000) };
      },
    });
    try {
      await provider.generate(ask, context());
      clock.nowMs += 3_000_000; // 10 minutes left: still good
      await provider.generate(ask, context());
      clock.nowMs += 400_000; // under 5 minutes left: refreshed
      await provider.generate(ask, context());
      expect(handed).toEqual(["AKIATEMP1", "AKIATEMP2"]);
      expect(mock.requests.map((request) => request.headers["x-amz-security-token"])).toEqual([
        "token-AKIATEMP1",
        "token-AKIATEMP1",
        "token-AKIATEMP2",
      ]);
      failing = true;
      clock.nowMs += 3_600_000;
      const error = await rejection(provider.generate(ask, context()));
      expect(error).toMatchObject({ kind: "auth", provider: "bedrock-us" });
      expect(error.message).toContain("could not get AWS credentials");
    } finally {
      await provider.close();
    }
  });

  it("reports cache reads and writes in usage", async () => {
    const provider = createBedrockProvider({
      region: "us-east-1",
      baseUrl: mock.url,
      credentials: keyPair("AKIAUSAGE"),
    });
    try {
      mock.enqueue({
        reply: {
          text: "ok",
          usage: { inputTokens: 30, outputTokens: 5, cachedInputTokens: 20, cacheWriteTokens: 4 },
        },
      });
      const result = await provider.generate(ask, context());
      expect(result.usage).toEqual({
        inputTokens: 30,
        outputTokens: 5,
        cachedInputTokens: 20,
        cacheWriteTokens: 4,
        totalTokens: 35,
      });
      const models = await provider.listModels?.(context());
      expect(models?.[0]).toEqual({
        id: "anthropic.claude-sonnet-4-5-20250929-v1:0",
        ownedBy: "anthropic",
      });
    } finally {
      await provider.close();
    }
  });

  it("passes a Messages body through to Anthropic models only; the mock refuses a body with a model", async () => {
    const provider = createBedrockProvider({
      region: "us-east-1",
      baseUrl: mock.url,
      credentials: keyPair("AKIAWIRE"),
    });
    try {
      const wire = provider.wire;
      expect(wire?.servesModel?.("global.anthropic.claude-sonnet-4-5-20250929-v1:0")).toBe(true);
      expect(
        wire?.servesModel?.(
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
        ),
      ).toBe(true);
      expect(wire?.servesModel?.("amazon.nova-pro-v1:0")).toBe(false);
      expect(wire?.servesModel?.("meta.llama3-3-70b-instruct-v1:0")).toBe(false);
      const body = { model: "claude", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] };
      const request = { protocol: "anthropic", body, stream: false, headers: {} };
      const result = await wire?.generate(request, ask.model, context());
      expect(result).toMatchObject({ adapterType: "bedrock", finishReason: "stop" });
      expect(result?.wireBody).toBe(mock.requests.at(-1)?.sent.join(""));
      expect(wire?.forward).toBeUndefined(); // token counting is estimated by the gateway

      const url = new URL(`${mock.url}/model/${encodeURIComponent(ask.model)}/invoke`);
      const text = JSON.stringify({ ...body, anthropic_version: "bedrock-2023-05-31" });
      const headers = await signRequest(
        {
          method: "POST",
          protocol: url.protocol,
          hostname: url.hostname,
          port: Number(url.port),
          path: url.pathname,
          headers: { host: url.host, "content-type": "application/json" },
          body: text,
        },
        { credentials: keyPair("AKIAWIRE"), region: "us-east-1", service: "bedrock" },
      );
      const refused = await fetch(url, { method: "POST", headers, body: text });
      expect(refused.status).toBe(400);
      expect(refused.headers.get("x-amzn-errortype")).toMatch(/^ValidationException:/);
      expect(await refused.text()).toContain("extraneous key [model] is not permitted");
    } finally {
      await provider.close();
    }
  });
});
