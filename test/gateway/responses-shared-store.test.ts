/**
 * Stored responses shared by two gateway instances: a response made on A is continued, read and
 * deleted on B, with the store in SQLite, in PostgreSQL (real servers, the `database` section) and
 * in Redis (`state.redis`, a real redis-server), and expires after `responses.ttlMs`.
 */

import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { FakeClock } from "../../src/testing/fake-clock.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { postgresBackend, type StoreBackend, sqliteBackend } from "../store/store-backends.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";
import {
  type ConfigParts,
  configText,
  createCapturingLogger,
  failoverModel,
  providerConfig,
  rejectionOf,
} from "./harness.js";

let mock: MockProviderServer;
let redis: RedisServer;
const backends: Record<"sqlite" | "postgres", StoreBackend> = {
  sqlite: sqliteBackend(),
  postgres: postgresBackend(),
};

beforeAll(async () => {
  mock = await startMockProviderServer();
  redis = await startRedisServer();
  await Promise.all(Object.values(backends).map((backend) => backend.setUp()));
});
afterAll(async () => {
  await mock.close();
  await redis.destroy();
  await Promise.all(Object.values(backends).map((backend) => backend.tearDown()));
});

async function twoInstances(extra: Record<string, unknown>, clock?: FakeClock) {
  const parts: ConfigParts = {
    providers: [providerConfig({ name: "oa", type: "openai", origin: mock.url })],
    models: [failoverModel("smart", [["oa", "gpt-4.1-mini"]])],
    extra,
  };
  const gateways = [0, 1].map(
    () =>
      new Gateway(parseConfigText(configText(parts), { env: {} }), {
        logger: createCapturingLogger(),
        ...(clock ? { clock } : {}),
      }),
  );
  const urls = await Promise.all(
    gateways.map((gateway) => gateway.listen({ host: "127.0.0.1", port: 0 })),
  );
  const clients = urls.map(
    (url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 }),
  );
  return {
    a: clients[0] as OpenAI,
    b: clients[1] as OpenAI,
    kinds: gateways.map((gateway) => gateway.responseStore.kind),
    close: () => Promise.all(gateways.map((gateway) => gateway.close(0))),
  };
}

const STORES: [string, () => Promise<Record<string, unknown>>][] = [
  ["sqlite", async () => ({ database: { url: await backends.sqlite.newUrl() } })],
  ["postgres", async () => ({ database: { url: await backends.postgres.newUrl() } })],
  ["redis", async () => ({ state: { redis: redis.url } })],
];

describe.each(STORES)("stored responses in %s, two instances", (kind, extra) => {
  it("continues, reads and deletes on B what was made on A", async () => {
    const { a, b, kinds, close } = await twoInstances(await extra());
    try {
      expect(kinds).toEqual([kind, kind]);
      mock.enqueue({ reply: { text: "My name is Ada." } });
      const first = await a.responses.create({ model: "smart", input: "Call yourself Ada." });
      mock.enqueue({ reply: { text: "Ada." } });
      const second = await b.responses.create({
        model: "smart",
        previous_response_id: first.id,
        input: "What is your name?",
      });
      expect(second.output_text).toBe("Ada.");
      const sent = mock.requestsFor("openai.chat").at(-1)?.body as { messages: unknown[] };
      expect(sent.messages).toEqual([
        { role: "user", content: "Call yourself Ada." },
        { role: "assistant", content: "My name is Ada." },
        { role: "user", content: "What is your name?" },
      ]);
      // A stream's response is readable on the other instance once its last event has arrived.
      mock.enqueue({ reply: { text: "Streamed and stored." } });
      const streamed = await a.responses
        .stream({ model: "smart", input: "Stream" })
        .finalResponse();
      expect((await b.responses.retrieve(streamed.id)).output_text).toBe("Streamed and stored.");
      expect((await b.responses.inputItems.list(second.id)).data).toHaveLength(1);
      await b.responses.delete(first.id);
      expect(await rejectionOf(a.responses.retrieve(first.id))).toMatchObject({ status: 404 });
    } finally {
      await close();
    }
  });
});

describe("retention", () => {
  it("forgets a response after responses.ttlMs, and stores nothing with responses.store: false", async () => {
    const clock = new FakeClock();
    const { a, close } = await twoInstances({ responses: { ttlMs: 60_000 } }, clock);
    try {
      mock.enqueue({ reply: { text: "Short-lived." } });
      const made = await a.responses.create({ model: "smart", input: "hi" });
      await clock.advance(59_999);
      expect((await a.responses.retrieve(made.id)).id).toBe(made.id);
      await clock.advance(1);
      expect(await rejectionOf(a.responses.retrieve(made.id))).toMatchObject({ status: 404 });
    } finally {
      await close();
    }
    const off = await twoInstances({ responses: { store: false } });
    try {
      mock.enqueue({ reply: { text: "Never kept." } });
      const made = await off.a.responses.create({ model: "smart", input: "hi" });
      expect(made).toMatchObject({ store: false });
      expect(await rejectionOf(off.a.responses.retrieve(made.id))).toMatchObject({ status: 404 });
    } finally {
      await off.close();
    }
  });
});
