/**
 * Runtime keys across two gateway instances sharing a PostgreSQL database (real servers): a key
 * made on A works on B, and once revoked on A it is refused on B within 1 second, announced over
 * Redis pub/sub (`state.redis`, a real redis-server) or, without Redis, found by the database poll.
 * The propagation time is measured and printed.
 */

import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { postgresBackend } from "../store/store-backends.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";
import { configText, createCapturingLogger, failoverModel, providerConfig } from "./harness.js";

const ADMIN_KEY = "admin-key-for-two-instances";
const MAX_PROPAGATION_MS = 1000;
let mock: MockProviderServer;
let redis: RedisServer;
const postgres = postgresBackend();

beforeAll(async () => {
  mock = await startMockProviderServer();
  redis = await startRedisServer();
  await postgres.setUp();
});
afterAll(async () => {
  await mock.close();
  await redis.destroy();
  await postgres.tearDown();
});

async function twoInstances(extra: Record<string, unknown>) {
  const text = configText({
    server: { adminKey: ADMIN_KEY },
    providers: [providerConfig({ name: "oa", type: "openai", origin: mock.url })],
    models: [failoverModel("smart", [["oa", "gpt-4.1-mini"]])],
    extra,
  });
  const gateways = [0, 1].map(
    () => new Gateway(parseConfigText(text, { env: {} }), { logger: createCapturingLogger() }),
  );
  const urls = await Promise.all(
    gateways.map((gateway) => gateway.listen({ host: "127.0.0.1", port: 0 })),
  );
  return { urls, close: () => Promise.all(gateways.map((gateway) => gateway.close(0))) };
}

async function adminPost(url: string, path: string, body: unknown, method = "POST") {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { id: string; key: string };
}

/** The status `/v1/models` answers a key with (it authenticates like every model route). */
async function statusFor(url: string, key: string): Promise<number> {
  const response = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
}

/** How long until `url` answers `key` with `status`, asking as fast as it answers. */
async function timeUntil(url: string, key: string, status: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 5 * MAX_PROPAGATION_MS) {
    if ((await statusFor(url, key)) === status) return performance.now() - started;
  }
  return Number.POSITIVE_INFINITY;
}

const SETUPS: [string, () => Promise<Record<string, unknown>>][] = [
  [
    "with Redis pub/sub",
    async () => ({ database: { url: await postgres.newUrl() }, state: { redis: redis.url } }),
  ],
  [
    "with the database poll alone",
    async () => ({ database: { url: await postgres.newUrl(), keyPollIntervalMs: 250 } }),
  ],
];

describe.each(SETUPS)("runtime keys on two instances %s", (setup, extra) => {
  it("a key made on A works on B, and revoked on A is refused on B within 1 s", async () => {
    const { urls, close } = await twoInstances(await extra());
    const [a = "", b = ""] = urls;
    try {
      const created = await adminPost(a, "/admin/keys", { name: "shared" });
      const createdMs = await timeUntil(b, created.key, 200);
      expect(createdMs).toBeLessThan(MAX_PROPAGATION_MS);

      const client = new OpenAI({ baseURL: `${b}/v1`, apiKey: created.key, maxRetries: 0 });
      mock.enqueue({ reply: { text: "from B" } });
      const completion = await client.chat.completions.create({
        model: "smart",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(completion.choices[0]?.message.content).toBe("from B");

      const revokedAt = performance.now();
      await adminPost(a, `/admin/keys/${created.id}`, {}, "DELETE");
      const revokeCallMs = performance.now() - revokedAt;
      const refusedMs = await timeUntil(b, created.key, 401);
      const totalMs = revokeCallMs + refusedMs;
      console.log(
        `[runtime keys ${setup}] created on A -> accepted on B in ${createdMs.toFixed(1)} ms; ` +
          `revoked on A -> refused on B ${totalMs.toFixed(1)} ms after the DELETE was sent`,
      );
      expect(totalMs).toBeLessThan(MAX_PROPAGATION_MS);
      expect(await statusFor(a, created.key)).toBe(401);
    } finally {
      await close();
    }
  });
});
