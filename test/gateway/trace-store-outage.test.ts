/**
 * A trace store that cannot be written is visible: `/readyz` says degraded while writes fail, the
 * failures are logged once per interval with their counts (never one line per trace), metrics
 * count them, and the recovery is logged and clears `/readyz`. Real SQLite (another connection
 * holds the write lock: permissions do not stop root) and real PostgreSQL (the server is stopped
 * mid-run); time is a fake clock, so the flushes, retries and log interval run exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { FakeClock } from "../../src/testing/fake-clock.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { BACKENDS } from "../store/store-backends.js";
import { HELLO } from "./chat-outcome.js";
import { configText, createCapturingLogger, failoverModel, providerConfig } from "./harness.js";

const ADMIN_KEY = "admin-key-trace-outage";
const LOG_INTERVAL_MS = 60_000;

describe.each(BACKENDS.map((make) => make()))("trace store outage on $name", (backend) => {
  let mock: MockProviderServer;
  beforeAll(async () => {
    await backend.setUp();
    mock = await startMockProviderServer();
  }, 120_000);
  afterAll(async () => {
    await mock?.close();
    await backend.tearDown();
  });

  it("flips /readyz to degraded and back, logs once per interval, counts failures in metrics", async () => {
    const url = await backend.newUrl();
    const clock = new FakeClock(Date.now());
    const logger = createCapturingLogger();
    const text = configText({
      providers: [providerConfig({ name: "primary", type: "openai", origin: mock.url })],
      models: [failoverModel("smart", [["primary", "gpt-4o"]])],
      server: { adminKey: ADMIN_KEY },
      extra: { database: { url } },
    });
    const gateway = new Gateway(parseConfigText(text, { env: {} }), { logger, clock });
    const base = await gateway.listen({ host: "127.0.0.1", port: 0 });
    const store = gateway.traceStore;
    if (!store) throw new Error("the gateway made no trace store");
    const chat = async () => {
      const response = await fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(HELLO),
      });
      expect(response.status).toBe(200);
      await response.text();
    };
    const readiness = async () =>
      (await (await fetch(`${base}/readyz`)).json()) as {
        status: string;
        degraded: string[];
        traceStore: { backend: string; writing: boolean; writeFailures: number };
      };
    const failingLines = () =>
      logger.entries.filter((entry) => entry.message === "trace store writes failing");
    try {
      await chat();
      await expect.poll(() => store.pendingCount === 1).toBe(true);
      await clock.advance(1000); // the flush interval
      await expect.poll(() => store.pendingCount === 0, { timeout: 10_000 }).toBe(true);
      expect((await readiness()).status).toBe("ready");

      await backend.beginOutage(url);
      for (let index = 0; index < 5; index++) await chat();
      await clock.advance(1000);
      await expect.poll(() => store.failureCount > 0, { timeout: 10_000 }).toBe(true);
      const degraded = await readiness();
      expect(degraded.status).toBe("degraded");
      expect(degraded.degraded.join("\n")).toContain("trace store writes failing");
      expect(degraded.traceStore).toMatchObject({ backend: backend.name, writing: false });
      expect(failingLines()).toHaveLength(1);

      // Retries after 1, 2, 4, 8, 16 s: five more failures within the interval, no more lines.
      const failuresBefore = store.writeFailureCount;
      for (const delayMs of [1000, 2000, 4000, 8000, 16_000]) {
        await clock.advance(delayMs);
        await expect
          .poll(() => store.writeFailureCount > failuresBefore, { timeout: 10_000 })
          .toBe(true);
      }
      await expect
        .poll(() => store.writeFailureCount >= failuresBefore + 5, { timeout: 10_000 })
        .toBe(true);
      expect(failingLines()).toHaveLength(1);

      // Past the interval, the next failure logs one line carrying the counts since the first.
      // The next retry (at the 30 s cap) falls 61 s after the first line.
      await clock.advance(30_000);
      await expect.poll(() => failingLines().length === 2, { timeout: 10_000 }).toBe(true);
      expect(failingLines()[1]?.fields).toMatchObject({ backend: backend.name });
      expect(Number(failingLines()[1]?.fields.errors)).toBeGreaterThanOrEqual(5);
      expect(Number(failingLines()[1]?.fields.sinceMs)).toBeGreaterThanOrEqual(LOG_INTERVAL_MS);

      const metrics = await (
        await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
      ).text();
      const failures = new RegExp(
        `switchyard_trace_store_write_failures_total\\{backend="${backend.name}"\\} (\\d+)`,
      ).exec(metrics);
      expect(Number(failures?.[1])).toBe(store.writeFailureCount);
      expect(metrics).toContain(`switchyard_trace_store_writing{backend="${backend.name}"} 0`);

      await backend.endOutage();
      await clock.advance(30_000); // the longest retry delay
      await expect
        .poll(() => store.failureCount === 0 && store.pendingCount === 0, { timeout: 10_000 })
        .toBe(true);
      expect(logger.entries.some((entry) => entry.message === "trace store writes recovered")).toBe(
        true,
      );
      expect((await readiness()).status).toBe("ready");
      expect(failingLines()).toHaveLength(2);
    } finally {
      await gateway.close(0);
    }
  }, 120_000);
});
