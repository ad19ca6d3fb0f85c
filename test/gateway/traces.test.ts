import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";
import { harnessPool, primaryAndFallback, rejectionOf } from "./harness.js";

const ADMIN = "admin-key-for-traces";
const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "hi" }] };
const pricing = {
  "gpt-4o": { input: 2.5, output: 10 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
};

let postgres: PostgresServer;
const folder = mkdtempSync(join(tmpdir(), "switchyard-traces-"));

beforeAll(async () => {
  postgres = await startPostgresServer();
}, 60_000);
afterAll(async () => {
  await postgres?.destroy();
  rmSync(folder, { recursive: true, force: true });
});

const pool = harnessPool();
afterEach(() => pool.closeAll());

const databases = [
  [
    "sqlite",
    async () => `sqlite:${join(folder, `traces-${Math.random().toString(36).slice(2)}.db`)}`,
  ],
  ["postgres", async () => postgres.createDatabase()],
] as const;

describe.each(databases)("request traces in %s", (_name, databaseUrl) => {
  it("keeps every request with its attempt chain, tokens and cost, and answers /admin/requests and /admin/usage", async () => {
    const h = await pool.start(
      primaryAndFallback({
        server: { adminKey: ADMIN },
        clients: [{ name: "web", key: "client-key-1" }],
        extra: { database: { url: await databaseUrl() }, pricing },
      }),
    );
    h.mocks.primary.setDefault({ error: { status: 503, kind: "server" } });
    const openai = h.openai({ apiKey: "client-key-1", maxRetries: 0 });
    const { response } = await openai.chat.completions.create(HELLO).withResponse();
    const requestId = response.headers.get("x-request-id") ?? "";
    const admin = { authorization: `Bearer ${ADMIN}` };

    await h.settled();
    await h.gateway.traceStore?.flush();
    const answer = await fetch(`${h.url}/admin/requests/${requestId}`, { headers: admin });
    expect(answer.status).toBe(200);
    const detail = (await answer.json()) as {
      request: Record<string, unknown> & { attempts: Record<string, unknown>[] };
    };
    expect(detail.request).toMatchObject({
      id: requestId,
      client: "web",
      model: "smart",
      outcome: "success",
      provider: "fallback",
    });
    expect(detail.request.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ["primary", "failure"],
      ["fallback", "success"],
    ]);
    expect(detail.request.costUsd).toBeGreaterThan(0);
    expect(JSON.stringify(detail)).not.toContain("sk-test-");

    const list = (await (
      await fetch(`${h.url}/admin/requests?client=web`, { headers: admin })
    ).json()) as {
      requests: { id: string }[];
    };
    expect(list.requests.map((r) => r.id)).toContain(requestId);
    const usage = (await (
      await fetch(`${h.url}/admin/usage?groupBy=client`, { headers: admin })
    ).json()) as {
      rows: { key: string; requests: number; costUsd: number }[];
    };
    expect(usage.rows.find((row) => row.key === "web")).toMatchObject({ requests: 1 });
    expect((await fetch(`${h.url}/admin/requests`)).status).toBe(401);
  });

  it("refuses a client over its budget with a 429 naming the budget", async () => {
    const h = await pool.start(
      primaryAndFallback({
        clients: [
          { name: "thrifty", key: "client-key-2", budget: { usd: 0.000001, period: "day" } },
        ],
        extra: { database: { url: await databaseUrl() }, pricing },
      }),
    );
    const openai = h.openai({ apiKey: "client-key-2", maxRetries: 0 });
    await openai.chat.completions.create(HELLO);
    await h.settled();
    await h.gateway.traceStore?.flush();
    const error = (await rejectionOf(openai.chat.completions.create(HELLO))) as {
      status: number;
      message: string;
    };
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/budget/);
  });
});
