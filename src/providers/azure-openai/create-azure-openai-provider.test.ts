import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderContext } from "../../engine/provider.js";
import {
  type MockProviderServer,
  startMockProviderServer,
} from "../../testing/mock-provider-server.js";
import { mapError } from "../openai/map-error.js";
import { rejection } from "../shared/rejection.test-helper.js";
import type { AzureTokenCredential } from "./azure-token-source.js";
import { createAzureOpenAIProvider } from "./create-azure-openai-provider.js";

const context = (): ProviderContext => ({
  signal: new AbortController().signal,
  attempt: 1,
  targetId: "azure-test",
});
const ask = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("Azure OpenAI error table, from Azure's own bodies", () => {
  const NOW_MS = 1_700_000_000_000;
  interface Row {
    file: string;
    status: number;
    headers: Record<string, string>;
    kind: string;
    retryAfterMs?: number;
  }
  it.each<Row>([
    { file: "error-content-filter.json", status: 400, headers: {}, kind: "content_filter" },
    {
      file: "error-rate-limit.json",
      status: 429,
      headers: { "retry-after-ms": "6500", "retry-after": "7" },
      kind: "rate_limited",
      retryAfterMs: 6500,
    },
    {
      file: "error-rate-limit.json",
      status: 429,
      headers: { "retry-after": "6" },
      kind: "rate_limited",
      retryAfterMs: 6000,
    },
    { file: "error-unauthorized.json", status: 401, headers: {}, kind: "auth" },
    { file: "error-permission.json", status: 403, headers: {}, kind: "auth" },
    { file: "error-deployment-not-found.json", status: 404, headers: {}, kind: "not_found" },
    { file: "error-context-length.json", status: 400, headers: {}, kind: "context_length" },
    { file: "error-server.json", status: 500, headers: {}, kind: "transient" },
  ])("$file ($status) is $kind", ({ file, status, headers, kind, retryAfterMs }) => {
    const error = mapError({
      status,
      headers,
      bodyText: fixture(file),
      nowMs: NOW_MS,
      provider: "azure-east",
    });
    expect(error.kind).toBe(kind);
    if (retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it("keeps the content filter's vendor code", () => {
    const error = mapError({
      status: 400,
      headers: {},
      bodyText: fixture("error-content-filter.json"),
      nowMs: NOW_MS,
      provider: "azure-east",
    });
    expect(error.vendorCode).toBe("content_filter");
    expect(error.message).toContain("content management policy");
  });
});

describe("createAzureOpenAIProvider against the Azure mock", () => {
  let mock: MockProviderServer;
  beforeAll(async () => {
    mock = await startMockProviderServer();
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it("calls the deployment path with api-version and the api-key header", async () => {
    const provider = createAzureOpenAIProvider({
      baseUrl: mock.url,
      apiKey: "azure-key-1",
      apiVersion: "2024-06-01",
      deployments: { "gpt-4o": "prod-gpt4o" },
    });
    try {
      const result = await provider.generate(ask, context());
      expect(result.adapterType).toBe("azure-openai");
      await provider.embed?.({ model: "text-embedding-3-small", input: ["a"] }, context());
      const [chat, embeddings] = mock.requests;
      expect(chat?.url).toBe(
        "/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-06-01",
      );
      expect(chat?.headers["api-key"]).toBe("azure-key-1");
      expect(chat?.headers.authorization).toBeUndefined();
      expect(embeddings?.url).toBe(
        "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-06-01",
      );
    } finally {
      await provider.close();
    }
  });

  it("the mock refuses a request without api-version or without a key, as Azure does", async () => {
    const noKey = await fetch(
      `${mock.url}/openai/deployments/x/chat/completions?api-version=2024-10-21`,
      { method: "POST", body: "{}" },
    );
    expect(noKey.status).toBe(401);
    const noVersion = await fetch(`${mock.url}/openai/deployments/x/chat/completions`, {
      method: "POST",
      headers: { "api-key": "k" },
      body: "{}",
    });
    expect(noVersion.status).toBe(404);
    expect(mock.pending).toBe(0);
  });

  it("classifies the mock's content filter and honours retry-after-ms", async () => {
    const provider = createAzureOpenAIProvider({ baseUrl: mock.url, apiKey: "azure-key-1" });
    try {
      mock.enqueue(
        { error: { kind: "content_filter" } },
        { error: { kind: "rate_limit", retryAfterSeconds: 2.5 } },
      );
      expect((await rejection(provider.generate(ask, context()))).kind).toBe("content_filter");
      const limited = await rejection(provider.generate(ask, context()));
      expect(limited).toMatchObject({ kind: "rate_limited", retryAfterMs: 2500 });
    } finally {
      await provider.close();
    }
  });

  describe("Entra ID", () => {
    /** A TokenCredential stand-in: numbered tokens, each valid for `lifetimeMs` from the clock. */
    function stubCredential(clock: { nowMs: number }, lifetimeMs: number) {
      const calls: string[] = [];
      const credential: AzureTokenCredential = {
        async getToken(scopes) {
          calls.push(String(scopes));
          return {
            token: `entra-token-${calls.length}`,
            expiresOnTimestamp: clock.nowMs + lifetimeMs,
          };
        },
      };
      return { credential, calls };
    }

    it("sends a bearer token for the Cognitive Services scope, cached until shortly before expiry", async () => {
      const clock = { nowMs: 1_000_000 };
      const { credential, calls } = stubCredential(clock, 3_600_000);
      const provider = createAzureOpenAIProvider({
        baseUrl: mock.url,
        credential,
        now: () => clock.nowMs,
      });
      try {
        await provider.generate(ask, context());
        await provider.generate(ask, context());
        clock.nowMs += 3_600_000 - 300_001; // just inside the five-minute margin: still cached
        await provider.generate(ask, context());
        clock.nowMs += 2; // inside the margin: refreshed
        await provider.generate(ask, context());
        expect(calls).toEqual(Array(2).fill("https://cognitiveservices.azure.com/.default"));
        expect(mock.requests.map((request) => request.headers.authorization)).toEqual([
          "Bearer entra-token-1",
          "Bearer entra-token-1",
          "Bearer entra-token-1",
          "Bearer entra-token-2",
        ]);
        expect(mock.requests[0]?.headers["api-key"]).toBeUndefined();
      } finally {
        await provider.close();
      }
    });

    it("concurrent calls share one token request", async () => {
      const clock = { nowMs: 0 };
      const { credential, calls } = stubCredential(clock, 3_600_000);
      const provider = createAzureOpenAIProvider({ baseUrl: mock.url, credential });
      try {
        await Promise.all([1, 2, 3].map(() => provider.generate(ask, context())));
        expect(calls).toHaveLength(1);
      } finally {
        await provider.close();
      }
    });

    it("a failing credential is an auth failure naming the provider, without the secret", async () => {
      const secret = "client-secret-canary-5123";
      let attempts = 0;
      const credential: AzureTokenCredential = {
        async getToken() {
          attempts += 1;
          throw new Error(`AADSTS7000215: Invalid client secret provided (${secret})`);
        },
      };
      const provider = createAzureOpenAIProvider({
        name: "azure-east",
        baseUrl: mock.url,
        credential,
        auth: { type: "entra", tenantId: "t", clientId: "c", clientSecret: secret },
      });
      try {
        const error = await rejection(provider.generate(ask, context()));
        expect(error).toMatchObject({ kind: "auth", provider: "azure-east" });
        expect(error.message).toContain("Entra ID token");
        expect(error.message).not.toContain(secret);
        await rejection(provider.generate(ask, context()));
        expect(attempts).toBe(2); // a failure is not cached
        expect(mock.requests).toHaveLength(0);
      } finally {
        await provider.close();
      }
    });

    it("needs a key, auth or a credential", () => {
      expect(() => createAzureOpenAIProvider({ baseUrl: mock.url })).toThrow(/apiKey, auth/);
    });
  });
});
