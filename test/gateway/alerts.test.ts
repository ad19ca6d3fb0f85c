/**
 * Alerts through the gateway: a webhook receiver of the test's own hears a circuit open (signed,
 * with its fields); a dead receiver slows no request and its failures are counted; the webhook URL
 * and secret never show in the admin config. Rate limiting, retries and budget thresholds are
 * tested on the dispatcher itself (src/observe/alert-dispatcher.test.ts).
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reserveClosedPort } from "../../src/testing/index.js";
import { harnessPool, primaryAndFallback } from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const ADMIN_KEY = "admin-key-alerts-test";
const SECRET = "whsec-alerts-canary-3141";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  raw: string;
}

let receiver: Server;
let receiverUrl = "";
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    request.on("end", () => {
      received.push({
        path: request.url ?? "",
        headers: request.headers,
        body: JSON.parse(raw),
        raw,
      });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

describe("alerts", () => {
  it("posts a signed circuit_open with its fields, and the admin config hides the webhook", async () => {
    received.length = 0;
    const h = await pool.start(
      primaryAndFallback({
        server: { adminKey: ADMIN_KEY },
        model: { failureThreshold: 1, recoveryTimeoutMs: 60_000 },
        extra: {
          alerts: [
            {
              url: `${receiverUrl}/hooks/T000/B000/canary-path`,
              events: ["circuit_open", "circuit_closed"],
              minIntervalMs: 60_000,
              secret: SECRET,
            },
          ],
        },
      }),
    );
    h.mocks.fallback.setDefault({ reply: { text: "fallback" } });
    h.mocks.primary.setDefault({ error: { status: 500 } });
    await h.openai().chat.completions.create({
      model: "smart",
      messages: [{ role: "user", content: "hi" }],
    });
    await expect.poll(() => received.length).toBe(1);
    const [alert] = received;
    expect(alert?.path).toBe("/hooks/T000/B000/canary-path");
    expect(alert?.body).toMatchObject({
      event: "circuit_open",
      model: "smart",
      text: expect.stringContaining("circuit for primary"),
    });
    const [, t, v1] =
      /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(alert?.headers["x-switchyard-signature"])) ?? [];
    expect(v1).toBe(createHmac("sha256", SECRET).update(`${t}.${alert?.raw}`).digest("hex"));

    // The admin view of the config shows neither the webhook's path nor its secret.
    const config = await (
      await h.fetch(`${h.url}/admin/config`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    ).text();
    expect(config).not.toContain("canary-path");
    expect(config).not.toContain(SECRET);
  });

  it("a dead receiver slows no request, and its failures are counted", async () => {
    const deadPort = await reserveClosedPort();
    const h = await pool.start(
      primaryAndFallback({
        server: { adminKey: ADMIN_KEY },
        model: { failureThreshold: 1 },
        extra: {
          alerts: [
            {
              url: `http://127.0.0.1:${deadPort}/hook`,
              events: ["circuit_open", "all_targets_failed"],
              minIntervalMs: 0,
              maxAttempts: 1,
            },
          ],
        },
      }),
    );
    h.mocks.primary.setDefault({ error: { status: 500 } });
    h.mocks.fallback.setDefault({ reply: { text: "fallback" } });
    const startedAt = performance.now();
    for (let i = 0; i < 5; i++) {
      const completion = await h.openai().chat.completions.create({
        model: "smart",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(completion.choices[0]?.message.content).toBe("fallback");
    }
    // Five requests against local mocks: well under a second even with the alert failing.
    expect(performance.now() - startedAt).toBeLessThan(2000);
    await expect
      .poll(async () => {
        const metrics = await (
          await h.fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
        ).text();
        return /switchyard_alerts_total\{event="circuit_open",outcome="failed"\} 1/.test(metrics);
      })
      .toBe(true);
  });
});
