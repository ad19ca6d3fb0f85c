import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderContext } from "../../engine/provider.js";
import { vertexMockToken } from "../../testing/builtin-mock-vendors.js";
import {
  type MockProviderServer,
  startMockProviderServer,
} from "../../testing/mock-provider-server.js";
import { mapGeminiError } from "../gemini/index.js";
import { rejection } from "../shared/rejection.test-helper.js";
import { createVertexProvider, vertexModel } from "./create-vertex-provider.js";

const context = (): ProviderContext => ({
  signal: new AbortController().signal,
  attempt: 1,
  targetId: "vertex-test",
});
const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "Hi" }] });
const folder = mkdtempSync(join(tmpdir(), "switchyard-vertex-"));
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE_KEY = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

function keyFile(tokenUri: string): string {
  const file = join(folder, `key-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      type: "service_account",
      project_id: "p",
      private_key_id: "kid-1",
      private_key: PRIVATE_KEY,
      client_email: "switchyard@p.iam.gserviceaccount.com",
      token_uri: tokenUri,
    }),
  );
  return file;
}

describe("vertexModel", () => {
  it("takes the publisher from the model name, a resource path, or the override", () => {
    expect(vertexModel("claude-sonnet-4-5@20250929", undefined)).toEqual({
      publisher: "anthropic",
      model: "claude-sonnet-4-5@20250929",
    });
    expect(vertexModel("gemini-2.5-pro", undefined).publisher).toBe("google");
    expect(vertexModel("publishers/anthropic/models/my-claude", undefined)).toEqual({
      publisher: "anthropic",
      model: "my-claude",
    });
    expect(vertexModel("my-tuned-model", "anthropic").publisher).toBe("anthropic");
  });
});

describe("Vertex errors are classified like Gemini's", () => {
  it.each([
    [
      429,
      {
        code: 429,
        message:
          "Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini-2.5-pro. Please submit a quota increase request.",
        status: "RESOURCE_EXHAUSTED",
      },
      "rate_limited",
    ],
    [
      503,
      { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" },
      "transient",
    ],
    [
      403,
      {
        code: 403,
        message:
          "Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5' (or it may not exist).",
        status: "PERMISSION_DENIED",
      },
      "auth",
    ],
    [
      401,
      {
        code: 401,
        message: "Request had invalid authentication credentials.",
        status: "UNAUTHENTICATED",
      },
      "auth",
    ],
    [
      404,
      {
        code: 404,
        message:
          "Publisher Model `projects/p/locations/europe-west1/publishers/google/models/gemini-9` not found.",
        status: "NOT_FOUND",
      },
      "not_found",
    ],
  ] as const)("%i %s", (status, error, kind) => {
    const mapped = mapGeminiError({
      provider: "vertex-eu",
      status,
      headers: {},
      body: JSON.stringify({ error }),
      nowMs: 0,
    });
    expect(mapped.kind).toBe(kind);
  });
});

describe("createVertexProvider against the Vertex mock", () => {
  let mock: MockProviderServer;
  beforeAll(async () => {
    mock = await startMockProviderServer();
  });
  afterAll(async () => {
    await mock.close();
    rmSync(folder, { recursive: true, force: true });
  });
  beforeEach(() => mock.reset());

  it("exchanges a signed JWT at the key file's token_uri, caches the token, refreshes it before expiry", async () => {
    const clock = { nowMs: Date.now() };
    const provider = createVertexProvider({
      project: "my-project",
      location: "europe-west1",
      baseUrl: mock.url,
      credentialsFile: keyFile(`${mock.url}/token`),
      now: () => clock.nowMs,
    });
    try {
      await provider.generate(ask("gemini-2.5-pro"), context());
      await provider.generate(ask("gemini-2.5-pro"), context());
      clock.nowMs += 3_599_000 - 300_000; // the mock's token lives 3599 s: inside the margin now
      await provider.generate(ask("gemini-2.5-pro"), context());
      const routes = mock.requests.map((request) => request.route);
      expect(routes).toEqual([
        "vertex.token",
        "vertex.generate",
        "vertex.generate",
        "vertex.token",
        "vertex.generate",
      ]);
      const calls = mock.requestsFor("vertex.generate");
      expect(calls[0]?.path).toBe(
        "/v1/projects/my-project/locations/europe-west1/publishers/google/models/gemini-2.5-pro:generateContent",
      );
      expect(calls[0]?.headers.authorization).toBe(calls[1]?.headers.authorization);
      expect(calls[2]?.headers.authorization).not.toBe(calls[0]?.headers.authorization);
    } finally {
      await provider.close();
    }
  });

  it("sends Claude requests to rawPredict with anthropic_version and no model", async () => {
    const token = vertexMockToken(Date.now() + 3_600_000);
    const provider = createVertexProvider({
      project: "p",
      location: "us-east5",
      baseUrl: mock.url,
      tokenSource: async () => ({ value: token, expiresAtMs: undefined }),
    });
    try {
      const result = await provider.generate(ask("claude-sonnet-4-5@20250929"), context());
      expect(result.adapterType).toBe("vertex");
      const sent = mock.requests[0];
      expect(sent?.path).toBe(
        "/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5%4020250929:rawPredict",
      );
      expect(sent?.body).toMatchObject({ anthropic_version: "vertex-2023-10-16" });
      expect(sent?.body).not.toHaveProperty("model");
    } finally {
      await provider.close();
    }
  });

  it("Claude on Vertex takes Anthropic's content (documents and breakpoints, rendered by its mapper, no audio); Gemini takes audio", async () => {
    const token = vertexMockToken(Date.now() + 3_600_000);
    const provider = createVertexProvider({
      project: "p",
      location: "us-east5",
      baseUrl: mock.url,
      tokenSource: async () => ({ value: token, expiresAtMs: undefined }),
    });
    try {
      expect(provider.acceptedContent?.("claude-sonnet-4-5@20250929")).not.toContain("audio");
      expect(provider.acceptedContent?.("claude-sonnet-4-5@20250929")).toContain("document-url");
      expect(provider.acceptedContent?.("gemini-2.5-pro")).toContain("audio");
      await provider.generate(
        {
          model: "claude-sonnet-4-5@20250929",
          messages: [
            {
              role: "system",
              content: "Be brief.",
              cacheControl: { type: "ephemeral", ttl: "1h" },
            },
            {
              role: "user",
              content: [
                { type: "document", source: { type: "url", url: "https://x/a.pdf" }, title: "a" },
              ],
            },
          ],
        },
        context(),
      );
      expect(mock.requests[0]?.body).toMatchObject({
        system: [
          { type: "text", text: "Be brief.", cache_control: { type: "ephemeral", ttl: "1h" } },
        ],
        messages: [
          {
            role: "user",
            content: [
              { type: "document", source: { type: "url", url: "https://x/a.pdf" }, title: "a" },
            ],
          },
        ],
      });
    } finally {
      await provider.close();
    }
  });

  it("the mock refuses missing and expired tokens as UNAUTHENTICATED, an auth failure", async () => {
    for (const token of [vertexMockToken(Date.now() - 1000), "not-a-token"]) {
      const provider = createVertexProvider({
        name: "vertex-eu",
        project: "p",
        location: "europe-west1",
        baseUrl: mock.url,
        tokenSource: async () => ({ value: token, expiresAtMs: undefined }),
      });
      try {
        mock.enqueue({ reply: { text: "never" } });
        const error = await rejection(provider.generate(ask("gemini-2.5-pro"), context()));
        expect(error).toMatchObject({ kind: "auth", status: 401 });
        expect(error.message).not.toContain(token);
        expect(mock.pending).toBe(1);
        mock.reset();
      } finally {
        await provider.close();
      }
    }
  });

  it("a token endpoint that fails is an auth failure of the provider, never a crash", async () => {
    const provider = createVertexProvider({
      name: "vertex-eu",
      project: "p",
      location: "europe-west1",
      baseUrl: mock.url,
      credentialsFile: keyFile(`${mock.url}/no-such-token-endpoint`),
    });
    try {
      const error = await rejection(provider.generate(ask("gemini-2.5-pro"), context()));
      expect(error).toMatchObject({ kind: "auth", provider: "vertex-eu" });
      expect(error.message).toContain("HTTP 404");
      expect(error.message).not.toContain("PRIVATE KEY");
      const missing = createVertexProvider({
        project: "p",
        location: "europe-west1",
        baseUrl: mock.url,
        credentialsFile: join(folder, "absent.json"),
      });
      expect((await rejection(missing.generate(ask("gemini-2.5-pro"), context()))).kind).toBe(
        "auth",
      );
      await missing.close();
    } finally {
      await provider.close();
    }
  });

  it("embeds through predict", async () => {
    const provider = createVertexProvider({
      project: "p",
      location: "europe-west1",
      baseUrl: mock.url,
      tokenSource: async () => ({
        value: vertexMockToken(Date.now() + 60_000),
        expiresAtMs: undefined,
      }),
    });
    try {
      const result = await provider.embed?.(
        { model: "text-embedding-005", input: ["a", "bb"] },
        context(),
      );
      expect(result?.embeddings).toHaveLength(2);
      expect(mock.requests[0]?.body).toEqual({ instances: [{ content: "a" }, { content: "bb" }] });
    } finally {
      await provider.close();
    }
  });

  it("passes a Messages body through to Claude only, and the mock refuses a Claude body with a model", async () => {
    const token = vertexMockToken(Date.now() + 3_600_000);
    const provider = createVertexProvider({
      project: "p",
      location: "us-east5",
      baseUrl: mock.url,
      tokenSource: async () => ({ value: token, expiresAtMs: undefined }),
    });
    try {
      expect(provider.wire?.servesModel?.("claude-sonnet-4-5@20250929")).toBe(true);
      expect(provider.wire?.servesModel?.("gemini-2.5-pro")).toBe(false);
      const body = { model: "c", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] };
      const request = { protocol: "anthropic", body, stream: false, headers: {} };
      const result = await provider.wire?.generate(
        request,
        "claude-sonnet-4-5@20250929",
        context(),
      );
      expect(result?.wireBody).toBe(mock.requests.at(-1)?.sent.join(""));
      expect(mock.requests.at(-1)?.rawBody).toBe(
        JSON.stringify({
          max_tokens: 10,
          messages: body.messages,
          anthropic_version: "vertex-2023-10-16",
        }),
      );
      const refused = await fetch(
        `${mock.url}/v1/projects/p/locations/us-east5/publishers/anthropic/models/c:rawPredict`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ ...body, anthropic_version: "vertex-2023-10-16" }),
        },
      );
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("model: Extra inputs are not permitted");
    } finally {
      await provider.close();
    }
  });
});
