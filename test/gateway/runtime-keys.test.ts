/**
 * Virtual keys made at runtime through the admin API, on SQLite and on PostgreSQL (real servers):
 * the key is shown once and stored only as a hash, works with the official OpenAI SDK beside the
 * YAML clients, is bound by its models, its team and its expiry, survives rotation under the same
 * id, is refused once revoked, and every change is in the audit log without secrets.
 */

import { createHash } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { FakeClock } from "../../src/testing/fake-clock.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { postgresBackend, type StoreBackend, sqliteBackend } from "../store/store-backends.js";
import {
  configText,
  createCapturingLogger,
  failoverModel,
  providerConfig,
  rejectionOf,
} from "./harness.js";

const ADMIN_KEY = "admin-key-for-runtime-keys-test";
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

interface Running {
  gateway: Gateway;
  logs(): string;
  url: string;
  clock: FakeClock;
  admin(method: string, path: string, body?: unknown, key?: string): Promise<AdminAnswer>;
  sdk(apiKey: string): OpenAI;
  close(): Promise<void>;
}

interface AdminAnswer {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test reads of JSON answers
  json: any;
}

async function start(databaseUrl: string, clients?: Record<string, unknown>[]): Promise<Running> {
  const clock = new FakeClock(Date.parse("2026-12-01T00:00:00Z"));
  const text = configText({
    server: { adminKey: ADMIN_KEY },
    providers: [
      providerConfig({ name: "oa", type: "openai", origin: mock.url }),
      providerConfig({ name: "claude", type: "anthropic", origin: mock.url }),
    ],
    models: [
      failoverModel("smart", [["oa", "gpt-4.1-mini"]]),
      failoverModel("cheap", [["oa", "gpt-4.1-nano"]]),
    ],
    ...(clients ? { clients } : {}),
    // A dollar a token, so one answer spends a budget of $1.
    extra: {
      database: { url: databaseUrl },
      pricing: { "gpt-4.1-mini": { input: 1_000_000, output: 1_000_000 } },
    },
  });
  const logger = createCapturingLogger();
  const gateway = new Gateway(parseConfigText(text, { env: {} }), { logger, clock });
  const url = await gateway.listen({ host: "127.0.0.1", port: 0 });
  return {
    gateway,
    logs: () => logger.text(),
    url,
    clock,
    async admin(method, path, body, key = ADMIN_KEY) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
    },
    sdk: (apiKey) => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 }),
    close: () => gateway.close(0),
  };
}

async function ask(client: OpenAI, model = "smart"): Promise<string | null | undefined> {
  mock.enqueue({ reply: { text: "hello" } });
  const completion = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "hi" }],
  });
  return completion.choices[0]?.message.content;
}

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await rejectionOf(promise);
  return (error as { status?: number }).status;
}

describe.each(["sqlite", "postgres"] as const)("runtime keys on %s", (kind) => {
  it("creates a key shown once, serves the SDK with it, and lists it without the key", async () => {
    const running = await start(await backends[kind].newUrl(), [
      { name: "yaml-client", key: "sk-yaml-client" },
    ]);
    try {
      const created = await running.admin("POST", "/admin/keys", {
        name: "ci",
        metadata: { owner: "ops" },
      });
      expect(created.status).toBe(201);
      const { id, key } = created.json;
      expect(key).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
      expect(id).toMatch(/^key_/);
      expect(created.json.prefix).toBe(key.slice(0, 12));

      expect(await ask(running.sdk(key))).toBe("hello");
      expect(await ask(running.sdk("sk-yaml-client"))).toBe("hello");
      // The Anthropic SDK sends it as x-api-key.
      mock.enqueue({ reply: { text: "hello" } });
      const anthropic = new Anthropic({ baseURL: running.url, apiKey: key, maxRetries: 0 });
      const message = await anthropic.messages.create({
        model: "smart",
        max_tokens: 16,
        messages: [{ role: "user", content: "hi" }],
      });
      expect(message.content[0]).toMatchObject({ type: "text", text: "hello" });
      expect(await statusOf(ask(running.sdk(`sk-sy-${"x".repeat(43)}`)))).toBe(401);

      const hash = createHash("sha256").update(key).digest("hex");
      const listed = await running.admin("GET", "/admin/keys");
      expect(listed.status).toBe(200);
      expect(listed.json.keys.map((k: { id: string }) => k.id)).toEqual([id]);
      const shown = await running.admin("GET", `/admin/keys/${id}`);
      expect(shown.json).toMatchObject({ id, name: "ci", status: "active" });
      for (const answer of [listed, shown]) {
        expect(answer.text).not.toContain(key);
        expect(answer.text).not.toContain(hash);
      }
      // The trace names the key by its id.
      await running.gateway.traceStore?.flush();
      const page = await running.gateway.traceStore?.listRequests({ client: id });
      expect(page?.requests).toHaveLength(2);
      expect(JSON.stringify(page)).not.toContain(key);
      expect(running.logs()).toContain("requestId");
      expect(running.logs()).not.toContain(key);
      expect(running.logs()).not.toContain(hash);
    } finally {
      await running.close();
    }
  });

  it("binds a key by its models, its team and its expiry; rotation keeps the id", async () => {
    const running = await start(await backends[kind].newUrl());
    try {
      const team = await running.admin("POST", "/admin/teams", {
        name: "research",
        models: ["smart"],
        rateLimit: { rpm: 2 },
      });
      expect(team.status).toBe(201);
      const inTeam = await running.admin("POST", "/admin/keys", {
        name: "r1",
        team: team.json.id,
        models: ["smart", "cheap"],
      });
      const sdk = running.sdk(inTeam.json.key);
      expect(await ask(sdk)).toBe("hello");
      expect(await statusOf(ask(sdk, "cheap"))).toBe(403);
      expect(await statusOf(ask(sdk))).toBe(429);

      const expiring = await running.admin("POST", "/admin/keys", {
        name: "temp",
        expiresAt: new Date(running.clock.now() + 60_000).toISOString(),
      });
      expect(await ask(running.sdk(expiring.json.key))).toBe("hello");
      await running.clock.advance(60_000);
      expect(await statusOf(ask(running.sdk(expiring.json.key)))).toBe(401);

      const plain = await running.admin("POST", "/admin/keys", { name: "rotating" });
      const rotated = await running.admin("POST", `/admin/keys/${plain.json.id}/rotate`, {
        gracePeriodMs: 5_000,
      });
      expect(rotated.status).toBe(200);
      expect(rotated.json.id).toBe(plain.json.id);
      expect(rotated.json.key).not.toBe(plain.json.key);
      expect(await ask(running.sdk(plain.json.key))).toBe("hello");
      expect(await ask(running.sdk(rotated.json.key))).toBe("hello");
      await running.clock.advance(5_000);
      expect(await statusOf(ask(running.sdk(plain.json.key)))).toBe(401);
      expect(await ask(running.sdk(rotated.json.key))).toBe("hello");

      const patched = await running.admin("PATCH", `/admin/keys/${plain.json.id}`, {
        models: ["cheap"],
      });
      expect(patched.json.models).toEqual(["cheap"]);
      expect(await statusOf(ask(running.sdk(rotated.json.key)))).toBe(403);

      const revoked = await running.admin("DELETE", `/admin/keys/${plain.json.id}`);
      expect(revoked.json.status).toBe("revoked");
      expect(await statusOf(ask(running.sdk(rotated.json.key), "cheap"))).toBe(401);
    } finally {
      await running.close();
    }
  });

  it("holds a team's keys to its budget, and shows spend this period", async () => {
    const running = await start(await backends[kind].newUrl());
    try {
      const team = await running.admin("POST", "/admin/teams", {
        name: "frugal",
        budget: { usd: 1, period: "day" },
      });
      const first = await running.admin("POST", "/admin/keys", { name: "a", team: team.json.id });
      const second = await running.admin("POST", "/admin/keys", { name: "b", team: team.json.id });
      expect(await ask(running.sdk(first.json.key))).toBe("hello");
      expect(await statusOf(ask(running.sdk(second.json.key)))).toBe(429);
      await running.gateway.traceStore?.flush();
      const shownTeam = await running.admin("GET", `/admin/teams/${team.json.id}`);
      expect(shownTeam.json.usage.period).toBe("day");
      expect(shownTeam.json.usage.periodStart).toBe(Date.parse("2026-12-01T00:00:00Z"));
      expect(shownTeam.json.usage.spentUsd).toBeGreaterThanOrEqual(1);
      const shownKey = await running.admin("GET", `/admin/keys/${first.json.id}`);
      expect(shownKey.json.usage).toEqual({ ...shownTeam.json.usage, period: "month" });
      const idle = await running.admin("GET", `/admin/keys/${second.json.id}`);
      expect(idle.json.usage.spentUsd).toBe(0);
    } finally {
      await running.close();
    }
  });

  it("audits every change by a hash of the admin credential, never a secret", async () => {
    const running = await start(await backends[kind].newUrl());
    try {
      const created = await running.admin("POST", "/admin/keys", { name: "audited" });
      await running.admin("PATCH", `/admin/keys/${created.json.id}`, { rateLimit: { rpm: 5 } });
      await running.admin("DELETE", `/admin/keys/${created.json.id}`);
      const audit = await running.admin("GET", "/admin/audit");
      expect(audit.status).toBe(200);
      const actor = `admin-key:${createHash("sha256").update(ADMIN_KEY).digest("hex").slice(0, 12)}`;
      expect(
        audit.json.entries.map((entry: { action: string; actor: string }) => [
          entry.action,
          entry.actor,
        ]),
      ).toEqual([
        ["key.revoke", actor],
        ["key.update", actor],
        ["key.create", actor],
      ]);
      expect(audit.json.entries[1].before.rateLimit).toBeUndefined();
      expect(audit.json.entries[1].after.rateLimit).toEqual({ rpm: 5 });
      expect(audit.text).not.toContain(created.json.key);
      expect(audit.text).not.toContain(ADMIN_KEY);
      expect(audit.text).not.toContain("sha256:");
    } finally {
      await running.close();
    }
  });

  it("answers bad input with a 400 naming the field, and refuses without the admin key", async () => {
    const running = await start(await backends[kind].newUrl());
    try {
      const cases: [unknown, string][] = [
        [{}, "name"],
        [{ name: 5 }, "name"],
        [{ name: "x", rateLimit: { rpm: 0 } }, "rateLimit.rpm"],
        [{ name: "x", budget: { usd: -1 } }, "budget.usd"],
        [{ name: "x", expiresAt: "soon" }, "expiresAt"],
        [{ name: "x", team: "team_missing" }, "team"],
        [{ name: "x", colour: "red" }, "colour"],
      ];
      for (const [body, param] of cases) {
        const answer = await running.admin("POST", "/admin/keys", body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.json.error.param).toBe(param);
        expect(answer.json.error.message).toContain(param);
      }
      const past = await running.admin("POST", "/admin/keys", {
        name: "x",
        expiresAt: running.clock.now() - 1,
      });
      expect(past.json.error.message).toBe("expiresAt: must be in the future");
      const soon = await running.admin("POST", "/admin/keys", { name: "x", expiresAt: "soon" });
      expect(soon.json.error.message).toBe(
        "expiresAt: must be an ISO date-time or epoch milliseconds",
      );
      expect((await running.admin("GET", "/admin/keys/key_nope")).status).toBe(404);
      expect((await running.admin("GET", "/admin/keys", undefined, "wrong")).status).toBe(401);
      expect((await running.admin("POST", "/admin/keys", { name: "x" }, "wrong")).status).toBe(401);
    } finally {
      await running.close();
    }
  });

  it("lets a key allowed claude/* call any claude model by provider/model, and nothing else", async () => {
    const running = await start(await backends[kind].newUrl());
    try {
      const created = await running.admin("POST", "/admin/keys", {
        name: "claude-only",
        models: ["claude/*"],
      });
      expect(created.status).toBe(201);
      const sdk = running.sdk(created.json.key);
      mock.reset();
      expect(await ask(sdk, "claude/claude-sonnet-4-5")).toBe("hello");
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
      await running.close();
    }
  });
});
