/**
 * What the admin API says about a target's health: `unknown` until a health check has judged it
 * (never the engine's default `healthy`), then the check's verdict, with the circuit reported on
 * its own. The gateway is asked in process and never listens, so no health check runs by itself.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import {
  configText,
  createCapturingLogger,
  failoverModel,
  providerConfig,
} from "../gateway/harness.js";

const ADMIN_KEY = "admin-key-for-target-health";
let mock: MockProviderServer;
let gateway: Gateway;

beforeEach(async () => {
  mock = await startMockProviderServer();
  const text = configText({
    server: { adminKey: ADMIN_KEY },
    providers: [providerConfig({ name: "oa", type: "openai", origin: mock.url })],
    models: [failoverModel("smart", [["oa", "gpt-4o"]])],
    defaults: { failureThreshold: 1, recoveryTimeoutMs: 60_000 },
  });
  gateway = new Gateway(parseConfigText(text, { env: {} }), { logger: createCapturingLogger() });
});
afterEach(async () => {
  await gateway.close(0);
  await mock.close();
});

interface Reported {
  health: string;
  status: string;
  circuitState: string;
}

async function reported(path: "/admin/status" | "/admin/overview"): Promise<Reported> {
  const response = await gateway.app.request(path, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { models: { targets: Reported[] }[] };
  const target = body.models[0]?.targets[0];
  if (!target) throw new Error(`${path} lists no target`);
  return { health: target.health, status: target.status, circuitState: target.circuitState };
}

async function chat(): Promise<number> {
  const response = await gateway.app.request("/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "smart", messages: [{ role: "user", content: "hi" }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("a target's health in the admin API", () => {
  it("is unknown before any health check, even after requests succeeded", async () => {
    expect(await chat()).toBe(200);
    const unknown = { health: "unknown", status: "unknown", circuitState: "closed" };
    expect(await reported("/admin/status")).toEqual(unknown);
    expect(await reported("/admin/overview")).toEqual(unknown);
  });

  it("follows the health check once one has run", async () => {
    const route = gateway.state.router.routes.get("smart");
    await route?.chat.checkHealth();
    expect(await reported("/admin/status")).toEqual({
      health: "healthy",
      status: "healthy",
      circuitState: "closed",
    });
    mock.setDefaultFor("openai.models", { error: { kind: "server" } });
    await route?.chat.checkHealth();
    expect(await reported("/admin/overview")).toEqual({
      health: "unhealthy",
      status: "unhealthy",
      circuitState: "closed",
    });
  });

  it("reports an open circuit as open, apart from a health nobody checked", async () => {
    mock.setDefaultFor("openai.chat", { error: { kind: "server" } });
    expect(await chat()).toBe(502);
    expect(await reported("/admin/status")).toEqual({
      health: "unknown",
      status: "open",
      circuitState: "open",
    });
  });
});
