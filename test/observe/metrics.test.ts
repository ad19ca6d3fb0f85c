import { afterEach, describe, expect, it } from "vitest";
import { createTraceStore } from "../../src/store/create-trace-store.js";
import {
  ADMIN_KEY,
  type DashboardGateway,
  startDashboardGateway,
} from "../dashboard/dashboard-gateway.js";
import { parsePrometheus, type Sample, sampleValue } from "./parse-prometheus.js";

let running: DashboardGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const SERVER_ERROR = { error: { kind: "server" as const } };
const BUDGETED = {
  name: "budgeted",
  targets: [{ provider: "primary", model: "gpt-4o" }],
  retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  retryBudget: { ratio: 0, minPerSecond: 0 },
  failureThreshold: 100,
};

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/metrics`, { headers });
}

async function samples(gateway: DashboardGateway): Promise<{ text: string; samples: Sample[] }> {
  const response = await scrape(gateway.url, { authorization: `Bearer ${ADMIN_KEY}` });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  const text = await response.text();
  return { text, samples: parsePrometheus(text) };
}

describe("GET /metrics", () => {
  it("counts requests, attempts, fallbacks, circuits, tokens and cost after a scripted run", async () => {
    running = await startDashboardGateway({ latency: false, models: [BUDGETED] });
    const gateway = running;
    const requestIds: string[] = [];
    const send = async (...args: Parameters<DashboardGateway["chat"]>) => {
      const response = await gateway.chat(...args);
      requestIds.push(response.headers.get("x-request-id") ?? "");
      return response.status;
    };
    for (let index = 0; index < 3; index++) expect(await send("smart", "acme")).toBe(200);
    gateway.primary.setDefaultFor("openai.chat", SERVER_ERROR);
    // Two failures open the primary's circuit (failureThreshold 2); each fails over to the backup.
    expect(await send("smart", "globex")).toBe(200);
    expect(await send("smart", "globex")).toBe(200);
    // The open circuit is skipped.
    expect(await send("smart", "globex")).toBe(200);
    // A retry the empty retry budget refuses, then nothing is left: 502.
    expect(await send("budgeted", "acme")).toBe(502);
    expect(await send("user-typed-model-xyz", "acme")).toBe(404);
    expect(await send("fast", "acme", true)).toBe(200);

    const { text, samples: all } = await samples(gateway);
    const requests = (labels: Record<string, string>) =>
      sampleValue(all, "switchyard_requests_total", labels);
    expect(
      requests({ model: "smart", provider: "primary", status: "200", outcome: "success" }),
    ).toBe(3);
    expect(
      requests({ model: "smart", provider: "backup", status: "200", outcome: "success" }),
    ).toBe(3);
    expect(requests({ model: "budgeted", provider: "none", status: "502", outcome: "error" })).toBe(
      1,
    );
    expect(requests({ model: "none", provider: "none", status: "404", outcome: "error" })).toBe(1);
    expect(requests({ model: "fast", provider: "spare", outcome: "success" })).toBe(1);
    expect(sampleValue(all, "switchyard_requests_in_flight")).toBe(0);

    expect(
      sampleValue(all, "switchyard_fallbacks_total", {
        model: "smart",
        from: "primary/gpt-4o",
        to: "backup/claude-sonnet-4-5",
        reason: "transient",
      }),
    ).toBe(2);
    const attempts = (labels: Record<string, string>) =>
      sampleValue(all, "switchyard_attempts_total", {
        model: "smart",
        provider: "primary",
        ...labels,
      });
    expect(attempts({ outcome: "success", reason: "" })).toBe(3);
    expect(attempts({ outcome: "failure", reason: "transient" })).toBe(2);
    expect(attempts({ outcome: "skipped", reason: "circuit_open" })).toBe(1);
    expect(
      sampleValue(all, "switchyard_retry_budget_rejections_total", { model: "budgeted" }),
    ).toBe(1);
    expect(
      sampleValue(all, "switchyard_attempt_duration_seconds_count", {
        model: "smart",
        provider: "primary",
        outcome: "failure",
      }),
    ).toBe(2);

    const circuit = { endpoint: "chat", model: "smart", target: "primary/gpt-4o" };
    expect(sampleValue(all, "switchyard_circuit_state", { ...circuit, state: "open" })).toBe(1);
    expect(sampleValue(all, "switchyard_circuit_state", { ...circuit, state: "closed" })).toBe(0);
    expect(
      sampleValue(all, "switchyard_circuit_state", {
        model: "smart",
        target: "backup/claude-sonnet-4-5",
        state: "closed",
      }),
    ).toBe(1);
    expect(
      sampleValue(all, "switchyard_circuit_transitions_total", {
        ...circuit,
        from: "closed",
        to: "open",
      }),
    ).toBe(1);
    expect(sampleValue(all, "switchyard_target_in_flight", circuit)).toBe(0);
    expect(sampleValue(all, "switchyard_target_in_flight", { model: "fast", key: "team-b" })).toBe(
      0,
    );

    const tokens = { model: "smart", provider: "primary", client: "acme" };
    const input = sampleValue(all, "switchyard_tokens_total", { ...tokens, type: "input" }) ?? 0;
    const output = sampleValue(all, "switchyard_tokens_total", { ...tokens, type: "output" }) ?? 0;
    expect(input).toBe(30);
    expect(output).toBeGreaterThan(0);
    const cost = sampleValue(all, "switchyard_cost_usd_total", tokens) ?? 0;
    expect(cost).toBeCloseTo((input * 2.5 + output * 10) / 1_000_000, 12);
    expect(
      sampleValue(all, "switchyard_cost_usd_total", {
        model: "smart",
        provider: "backup",
        client: "globex",
      }),
    ).toBeGreaterThan(0);

    expect(
      sampleValue(all, "switchyard_request_first_byte_seconds_count", {
        model: "fast",
        provider: "spare",
      }),
    ).toBe(1);
    expect(sampleValue(all, "switchyard_request_duration_seconds_count")).toBe(9);
    expect(sampleValue(all, "process_cpu_user_seconds_total")).toBeGreaterThan(0);

    // Bounded labels: no client-supplied text, no request ids; no store series without stores.
    expect(text).not.toContain("user-typed-model-xyz");
    for (const id of requestIds) expect(text).not.toContain(id);
    expect(sampleValue(all, "switchyard_state_store_connected")).toBeUndefined();
    expect(sampleValue(all, "switchyard_trace_store_pending")).toBeUndefined();
  });

  it("keeps listening to the engines a reload builds", async () => {
    running = await startDashboardGateway({ latency: false });
    running.primary.setDefaultFor("openai.chat", SERVER_ERROR);
    await running.chat("smart", "acme");
    await running.reload();
    await running.chat("smart", "acme");
    const { samples: all } = await samples(running);
    expect(sampleValue(all, "switchyard_fallbacks_total", { model: "smart" })).toBe(2);
    // The new engine's circuit has seen one failure: still closed.
    expect(
      sampleValue(all, "switchyard_circuit_state", {
        endpoint: "chat",
        model: "smart",
        target: "primary/gpt-4o",
        state: "closed",
      }),
    ).toBe(1);
    expect(running.gateway.observability.feed.since().map((event) => event.type)).toEqual([
      "fallback",
      "fallback",
    ]);
  });

  it("needs the admin key on the main port", async () => {
    running = await startDashboardGateway({ latency: false });
    expect((await scrape(running.url)).status).toBe(401);
    expect(
      (await scrape(running.url, { authorization: "Bearer wrong-key-0123456789" })).status,
    ).toBe(401);
    expect((await scrape(running.url, { "x-api-key": ADMIN_KEY })).status).toBe(200);
  });

  it("is served without auth on server.metrics.port, and not on the main port then", async () => {
    running = await startDashboardGateway({ latency: false, server: { metrics: { port: 0 } } });
    const metricsUrl = running.gateway.metricsUrl;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metricsUrl).not.toBe(running.url);
    const response = await scrape(metricsUrl ?? "");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("switchyard_requests_total");
    expect((await scrape(running.url, { authorization: `Bearer ${ADMIN_KEY}` })).status).toBe(404);
  });

  it("reports the trace store's backlog and drops", async () => {
    const store = createTraceStore({ url: "sqlite::memory:" });
    running = await startDashboardGateway({ latency: false, traceStore: store });
    try {
      const { samples: all } = await samples(running);
      expect(sampleValue(all, "switchyard_trace_store_pending", { backend: "sqlite" })).toBe(0);
      expect(sampleValue(all, "switchyard_trace_store_dropped_total", { backend: "sqlite" })).toBe(
        0,
      );
    } finally {
      await store.close();
    }
  });
});
