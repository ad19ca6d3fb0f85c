/**
 * A client that goes away is not a failure of the gateway: it is recorded as status 499, outcome
 * `client_closed`, in the logs (not at level error), the metrics and the trace, with the attempts
 * made for it; before the answer, and when it leaves a stream after its first byte.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parsePrometheus, sampleValue } from "../observe/parse-prometheus.js";
import { type Harness, harnessPool, primaryAndFallback } from "./harness.js";

const ADMIN = "admin-key-for-disconnects";
const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "Hello" }] };
const folder = mkdtempSync(join(tmpdir(), "switchyard-disconnect-"));
const pool = harnessPool();
afterEach(() => pool.closeAll());
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function start(): Promise<Harness<"primary" | "fallback">> {
  return pool.start(
    primaryAndFallback({
      server: { adminKey: ADMIN },
      extra: { database: { url: `sqlite:${join(folder, `${Math.random()}.db`)}` } },
    }),
  );
}

/** The request's trace, metrics and log lines once it has been recorded. */
async function recorded(h: Harness<"primary" | "fallback">, requestId: string) {
  await expect
    .poll(() => h.logger.entries.some((entry) => entry.message === "client closed the connection"))
    .toBe(true);
  await h.gateway.traceStore?.flush();
  const admin = { authorization: `Bearer ${ADMIN}` };
  const trace = (await (
    await fetch(`${h.url}/admin/requests/${requestId}`, { headers: admin })
  ).json()) as {
    source: string;
    request: { status: number; outcome: string; attempts: { provider: string }[] };
  };
  const metrics = parsePrometheus(
    await (await fetch(`${h.url}/metrics`, { headers: admin })).text(),
  );
  return { trace, metrics };
}

function expectClientClosed(
  h: Harness<"primary" | "fallback">,
  { trace, metrics }: Awaited<ReturnType<typeof recorded>>,
): void {
  expect(trace.source).toBe("sqlite");
  expect(trace.request).toMatchObject({ status: 499, outcome: "client_closed" });
  expect(trace.request.attempts.map((attempt) => attempt.provider)).toEqual(["primary"]);
  expect(
    sampleValue(metrics, "switchyard_requests_total", { status: "499", outcome: "client_closed" }),
  ).toBe(1);
  expect(sampleValue(metrics, "switchyard_requests_total", { status: "500" })).toBeUndefined();
  expect(h.logger.entries.filter((entry) => entry.level === "error")).toEqual([]);
  const closed = h.logger.entries.find((entry) => entry.message === "client closed the connection");
  expect(closed).toMatchObject({ level: "info", fields: { status: 499 } });
}

describe("a client that disconnects", () => {
  it("before its answer: 499 client_closed, with the upstream attempt", async () => {
    const h = await start();
    h.mocks.primary.enqueue({ reply: { text: "late" }, headersDelayMs: 5000 });
    const controller = new AbortController();
    const pending = h
      .openai()
      .chat.completions.create(HELLO, {
        signal: controller.signal,
        headers: { "x-request-id": "gone-before" },
      })
      .catch(() => undefined);
    await expect.poll(() => h.mocks.primary.stats.inFlight === 1).toBe(true);
    controller.abort();
    await pending;
    expectClientClosed(h, await recorded(h, "gone-before"));
    await expect.poll(() => h.mocks.primary.stats.inFlight === 0).toBe(true);
  });

  it("after the first byte of a stream: 499 client_closed", async () => {
    const h = await start();
    h.mocks.primary.enqueue({
      reply: { text: "a b c d e f g h i j k l m n o p q r s t" },
      chunkDelayMs: 100,
    });
    const controller = new AbortController();
    const stream = await h
      .openai()
      .chat.completions.create(
        { ...HELLO, stream: true },
        { signal: controller.signal, headers: { "x-request-id": "gone-mid-stream" } },
      );
    try {
      for await (const _chunk of stream) controller.abort();
    } catch {
      // The SDK may end an aborted stream quietly or with an abort error.
    }
    expectClientClosed(h, await recorded(h, "gone-mid-stream"));
  });
});
