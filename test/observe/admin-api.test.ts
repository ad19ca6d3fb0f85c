import { afterEach, describe, expect, it } from "vitest";
import { createTraceStore } from "../../src/store/create-trace-store.js";
import {
  ADMIN_KEY,
  CLIENT_KEYS,
  type DashboardGateway,
  startDashboardGateway,
} from "../dashboard/dashboard-gateway.js";

let running: DashboardGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };
const ENDPOINTS = [
  "/admin/overview",
  "/admin/series",
  "/admin/events",
  "/admin/requests",
  "/admin/requests/some-id",
  "/admin/usage?groupBy=client",
  "/admin/config",
];

async function getJson<T>(url: string, headers: Record<string, string> = ADMIN): Promise<T> {
  const response = await fetch(url, { headers });
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/ui?key=${ADMIN_KEY}`, { redirect: "manual" });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/ui");
  const cookie = response.headers.get("set-cookie") ?? "";
  expect(cookie).toMatch(
    /^switchyard_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/,
  );
  return cookie.split(";")[0] ?? "";
}

/** Reads an event stream: `until(done)` reads on until `done(text so far)` or the stream ends. */
function streamReader(response: Response) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  return {
    async until(done: (text: string) => boolean, timeoutMs = 3000): Promise<string> {
      let text = "";
      const deadline = setTimeout(() => void reader.cancel(), timeoutMs);
      try {
        while (!done(text)) {
          const next = await reader.read();
          if (next.done) break;
          text += decoder.decode(next.value, { stream: true });
        }
      } finally {
        clearTimeout(deadline);
      }
      return text;
    },
    cancel: () => reader.cancel(),
  };
}

describe("dashboard access", () => {
  it("refuses the page and the admin API without the admin key", async () => {
    running = await startDashboardGateway({ latency: false });
    const page = await fetch(`${running.url}/ui`);
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('action="/ui/login"');
    expect(html).not.toContain("Providers and keys");
    for (const path of ENDPOINTS) {
      expect((await fetch(`${running.url}${path}`)).status, path).toBe(401);
      const wrong = {
        authorization: `Bearer ${CLIENT_KEYS.acme}`,
        cookie: "switchyard_session=forged",
      };
      expect((await fetch(`${running.url}${path}`, { headers: wrong })).status, path).toBe(401);
    }
    expect((await fetch(`${running.url}/ui?key=not-the-key`)).status).toBe(401);
  });

  it("signs in with ?key= or the form, then serves the page and API to the session cookie", async () => {
    running = await startDashboardGateway({ latency: false });
    const cookie = await signIn(running.url);
    const page = await fetch(`${running.url}/ui`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'nonce-[\w+/=]+'/);
    expect(csp).toContain("default-src 'none'");
    expect(await page.text()).toContain("Providers and keys");
    await getJson(`${running.url}/admin/overview`, { cookie });

    const form = await fetch(`${running.url}/ui/login`, {
      method: "POST",
      body: new URLSearchParams({ key: ADMIN_KEY }),
      redirect: "manual",
    });
    expect(form.status).toBe(303);
    const refused = await fetch(`${running.url}/ui/login`, {
      method: "POST",
      body: new URLSearchParams({ key: "nope" }),
      redirect: "manual",
    });
    expect(refused.status).toBe(401);

    const out = await fetch(`${running.url}/ui/logout`, {
      method: "POST",
      headers: { cookie },
      redirect: "manual",
    });
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await fetch(`${running.url}/admin/overview`, { headers: { cookie } })).status).toBe(
      401,
    );
  });

  it("is off, saying how to turn it on, without an admin key", async () => {
    running = await startDashboardGateway({ latency: false, server: { adminKey: undefined } });
    const page = await fetch(`${running.url}/ui`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("server.adminKey");
    expect((await fetch(`${running.url}/admin/overview`, { headers: ADMIN })).status).toBe(401);
  });
});

describe("the admin API", () => {
  it("shows targets, series, requests with their attempt chains, and usage, scrubbed of secrets", async () => {
    running = await startDashboardGateway({ latency: false });
    const { url } = running;
    await running.chat("smart", "acme");
    running.primary.setDefaultFor("openai.chat", {
      error: { kind: "server", message: `upstream echoed ${ADMIN_KEY} back` },
    });
    const failedOver = await running.chat("smart", "globex");
    await running.chat("smart", "globex");

    type Overview = {
      window: { requests: number; fallbacks: number };
      models: {
        name: string;
        targets: { id: string; circuitState: string; successRate: number }[];
      }[];
      filters: { clients: string[] };
      traces: { kind: string };
    };
    const overview = await getJson<Overview>(`${url}/admin/overview`);
    expect(overview.window).toMatchObject({ requests: 3, fallbacks: 2 });
    expect(overview.traces.kind).toBe("memory");
    expect(overview.filters.clients).toEqual(["acme", "globex"]);
    const smart = overview.models.find((model) => model.name === "smart");
    expect(smart?.targets.map((target) => [target.id, target.circuitState])).toEqual([
      ["primary/gpt-4o", "open"],
      ["backup/claude-sonnet-4-5", "closed"],
    ]);
    expect(smart?.targets[0]?.successRate).toBeCloseTo(1 / 3);
    expect(JSON.stringify(overview)).not.toContain(ADMIN_KEY);

    const series = await getJson<{ series: Record<string, { failures: number[] }> }>(
      `${url}/admin/series`,
    );
    const failures = series.series["chat:smart:primary/gpt-4o"]?.failures ?? [];
    expect(failures.reduce((sum, value) => sum + value, 0)).toBe(2);

    type Page = {
      source: string;
      requests: { id: string; client: string; attemptCount: number }[];
    };
    const list = await getJson<Page>(`${url}/admin/requests`);
    expect(list.source).toBe("memory");
    expect(list.requests.map((request) => [request.client, request.attemptCount])).toEqual([
      ["globex", 2],
      ["globex", 2],
      ["acme", 1],
    ]);
    const filtered = await getJson<Page>(`${url}/admin/requests?client=acme&model=smart`);
    expect(filtered.requests).toHaveLength(1);
    const id = failedOver.headers.get("x-request-id") ?? "";
    type Detail = { request: { id: string; attempts: Record<string, unknown>[]; costUsd: number } };
    const detail = await getJson<Detail>(`${url}/admin/requests/${id}`);
    expect(detail.request.attempts).toMatchObject([
      { targetId: "primary/gpt-4o", outcome: "failure", errorKind: "transient", status: 500 },
      { targetId: "backup/claude-sonnet-4-5", outcome: "success", provider: "backup" },
    ]);
    expect(JSON.stringify(detail)).toContain("upstream echoed");
    expect(JSON.stringify(detail)).not.toContain(ADMIN_KEY);
    expect(detail.request.costUsd).toBeGreaterThan(0);
    expect((await fetch(`${url}/admin/requests/nope`, { headers: ADMIN })).status).toBe(404);

    type Usage = { rows: { key: string; requests: number; costUsd: number }[] };
    const usage = await getJson<Usage>(`${url}/admin/usage?groupBy=client&hours=1`);
    expect(usage.rows.map((row) => [row.key, row.requests])).toEqual([
      ["globex", 2],
      ["acme", 1],
    ]);
    expect(usage.rows.every((row) => row.costUsd > 0)).toBe(true);
    expect((await fetch(`${url}/admin/usage?groupBy=secret`, { headers: ADMIN })).status).toBe(400);
  });

  it("shows the running config with every secret redacted", async () => {
    running = await startDashboardGateway({ latency: false });
    const { yaml } = await getJson<{ yaml: string }>(`${running.url}/admin/config`);
    expect(yaml).toContain("***redacted***");
    expect(yaml).toContain("claude-sonnet-4-5");
    for (const secret of [
      ADMIN_KEY,
      ...Object.values(CLIENT_KEYS),
      "sk-test-primary",
      "sk-spare-team-a",
    ]) {
      expect(yaml).not.toContain(secret);
    }
  });

  it("reads requests from the trace store when the gateway has one", async () => {
    const store = createTraceStore({ url: "sqlite::memory:" });
    running = await startDashboardGateway({ latency: false, traceStore: store });
    try {
      store.record({
        id: "stored-1",
        startedAt: Date.now(),
        protocol: "openai",
        stream: false,
        outcome: "success",
        status: 200,
        latencyMs: 5,
        attempts: [{ targetId: "primary/gpt-4o", outcome: "success" }],
      });
      await store.flush();
      const page = await getJson<{ source: string; requests: { id: string }[] }>(
        `${running.url}/admin/requests`,
      );
      expect(page.source).toBe("sqlite");
      expect(page.requests.map((request) => request.id)).toEqual(["stored-1"]);
    } finally {
      await store.close();
    }
  });

  it("streams fallbacks and circuit changes as server-sent events, replaying after Last-Event-ID", async () => {
    running = await startDashboardGateway({ latency: false });
    const cookie = await signIn(running.url);
    const events = await fetch(`${running.url}/admin/events`, { headers: { cookie } });
    expect(events.headers.get("content-type")).toContain("text/event-stream");
    running.primary.setDefaultFor("openai.chat", { error: { kind: "server" } });
    await running.chat("smart", "acme");
    await running.chat("smart", "acme");
    const live = await streamReader(events).until((text) => text.includes("event: circuit"));
    expect(live).toMatch(/^retry: 3000\n/);
    expect(live).toContain("event: fallback");
    const fallback = /id: (\d+)\nevent: fallback\ndata: (.*)\n/.exec(live);
    expect(JSON.parse(fallback?.[2] ?? "{}")).toMatchObject({
      type: "fallback",
      model: "smart",
      target: "primary/gpt-4o",
      to: "backup/claude-sonnet-4-5",
      reason: "transient",
    });
    await events.body?.cancel().catch(() => undefined);

    const replay = await fetch(`${running.url}/admin/events`, {
      headers: { ...ADMIN, "last-event-id": fallback?.[1] ?? "" },
    });
    const replayReader = streamReader(replay);
    const replayed = await replayReader.until((text) => text.includes("event: circuit"));
    expect(replayed).toContain('"state":"open"');
    expect(replayed.match(/event: fallback/g)).toHaveLength(1);
    // Closing the gateway ends open streams instead of waiting out the grace period.
    const { gateway, primary, backup, spare } = running;
    running = undefined;
    const startedAt = Date.now();
    const closing = gateway.close(10_000);
    expect(await replayReader.until(() => false, 9000)).toBe("");
    await closing;
    expect(Date.now() - startedAt).toBeLessThan(5000);
    await Promise.all([primary.close(), backup.close(), spare.close()]);
  });
});
