/**
 * A runtime key (made through the admin API) restricted to `claude/*`, on SQLite and on PostgreSQL:
 * it may call any upstream model of the `claude` provider by its `provider/model` name, and nothing
 * else: not the logical models, not another provider's models.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { postgresBackend, type StoreBackend, sqliteBackend } from "../store/store-backends.js";
import {
  configText,
  createCapturingLogger,
  failoverModel,
  providerConfig,
  rejectionOf,
} from "./harness.js";

const ADMIN_KEY = "admin-key-for-key-patterns";
let mock: MockProviderServer;
const backends: Record<"sqlite" | "postgres", StoreBackend> = {
  sqlite: sqliteBackend(),
  postgres: postgresBackend(),
};

beforeAll(async () => {
  mock = await startMockProviderServer();
  await Promise.all(Object.values(backends).map((backend) => backend.setUp()));
});
afterAll(async () => {
  await mock.close();
  await Promise.all(Object.values(backends).map((backend) => backend.tearDown()));
});

describe.each(["sqlite", "postgres"] as const)("a runtime key allowed claude/* on %s", (kind) => {
  it("calls claude/<model> straight to that provider and is refused everything else", async () => {
    const text = configText({
      server: { adminKey: ADMIN_KEY },
      providers: [
        providerConfig({ name: "oa", type: "openai", origin: mock.url }),
        providerConfig({ name: "claude", type: "anthropic", origin: mock.url }),
      ],
      models: [failoverModel("smart", [["oa", "gpt-4o"]])],
      extra: { database: { url: await backends[kind].newUrl() } },
    });
    const gateway = new Gateway(parseConfigText(text, { env: {} }), {
      logger: createCapturingLogger(),
    });
    const url = await gateway.listen({ host: "127.0.0.1", port: 0 });
    try {
      const created = await fetch(`${url}/admin/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "claude-only", models: ["claude/*"] }),
      });
      expect(created.status).toBe(201);
      const { key } = (await created.json()) as { key: string };
      const sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });
      mock.reset();
      mock.enqueue({ reply: { text: "from claude" } });
      const { data, response } = await sdk.chat.completions
        .create({
          model: "claude/claude-sonnet-4-5",
          messages: [{ role: "user", content: "hi" }],
        })
        .withResponse();
      expect(data.choices[0]?.message.content).toBe("from claude");
      expect(response.headers.get("x-switchyard-provider")).toBe("claude");
      const sent = mock.requestsFor("anthropic.messages");
      expect(sent.map((request) => (request.body as { model: string }).model)).toEqual([
        "claude-sonnet-4-5",
      ]);
      for (const model of ["smart", "oa/gpt-4o"]) {
        const error = (await rejectionOf(
          sdk.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }),
        )) as { status: number; message: string };
        expect(error.status).toBe(403);
        expect(error.message).toContain(`'${model}'`);
      }
      expect(mock.requestsFor("openai.chat")).toHaveLength(0);
    } finally {
      await gateway.close(0);
    }
  });
});
