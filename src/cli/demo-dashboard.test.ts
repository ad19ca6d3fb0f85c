import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.js";
import { isLoopbackHost, withDemoDashboard } from "./demo-admin-key.js";
import { demoConfigText } from "./demo-providers.js";
import { LogCapture } from "./log-capture.test-helper.js";
import { type RunningServer, startServe } from "./serve-command.js";

let dir: string;
let server: RunningServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-demo-ui-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function startDemo(options: { host?: string; env?: Record<string, string> } = {}) {
  const logs = new LogCapture();
  let banner = "";
  server = await startServe({
    cwd: dir,
    env: options.env ?? {},
    ...(options.host ? { host: options.host } : {}),
    port: 0,
    logger: logs.logger(),
    probeOllama: async () => undefined,
    writeBanner: (text) => (banner += text),
  });
  return { server, logs, banner: () => banner };
}

/** The `/ui?key=` URL the banner prints, if any. */
function dashboardUrl(banner: string): URL | undefined {
  const match = /(http:\/\/\S+\/ui\?key=\S+)/.exec(banner);
  return match?.[1] ? new URL(match[1]) : undefined;
}

describe("the demo's dashboard", () => {
  it("prints a /ui?key= URL whose key opens the admin API and the dashboard, and logs it nowhere", async () => {
    const { server, logs, banner } = await startDemo();
    const url = dashboardUrl(banner());
    expect(url).toBeDefined();
    const key = url?.searchParams.get("key") ?? "";
    expect(key).toMatch(/^sy-demo-[A-Za-z0-9_-]{32}$/);
    expect(url?.origin).toBe(server.url);

    const status = await fetch(`${server.url}/admin/status`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(status.status).toBe(200);
    const wrong = await fetch(`${server.url}/admin/status`, {
      headers: { authorization: "Bearer sy-demo-not-it" },
    });
    expect(wrong.status).toBe(401);

    const signIn = await fetch(url?.href ?? "", { redirect: "manual" });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe("/ui");
    expect(signIn.headers.get("set-cookie")).toContain("HttpOnly");

    // The config the dashboard shows has it redacted, and no log line carries it.
    const config = await fetch(`${server.url}/admin/config`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(await config.text()).not.toContain(key);
    await server.reload("test");
    const again = await fetch(`${server.url}/admin/status`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(again.status).toBe(200);
    expect(logs.lines.length).toBeGreaterThan(2);
    expect(JSON.stringify(logs.lines)).not.toContain(key);
    expect(banner().split(key).length - 1).toBe(1);
  });

  it("makes no key when SWITCHYARD_ADMIN_KEY is set, and says to sign in with it", async () => {
    const { server, banner } = await startDemo({
      env: { SWITCHYARD_ADMIN_KEY: "my-own-admin-key-123" },
    });
    expect(dashboardUrl(banner())).toBeUndefined();
    expect(banner()).toContain(`${server.url}/ui (sign in with the admin key you set`);
    expect(banner()).not.toContain("my-own-admin-key-123");
    const status = await fetch(`${server.url}/admin/status`, {
      headers: { authorization: "Bearer my-own-admin-key-123" },
    });
    expect(status.status).toBe(200);
  });

  it("makes no key when bound beyond loopback: the dashboard stays off", async () => {
    const { server, banner } = await startDemo({ host: "0.0.0.0" });
    expect(dashboardUrl(banner())).toBeUndefined();
    expect(banner()).not.toContain("sy-demo-");
    expect(banner()).toContain("Dashboard: off. The demo listens on 0.0.0.0");
    expect(server.gateway.state.config.server.adminKey ?? "").toBe("");
    const port = new URL(server.url).port;
    const ui = await fetch(`http://127.0.0.1:${port}/ui`);
    expect(ui.status).toBe(404);
  });

  it("tells loopback hosts from the rest", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1"]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.4", "10.0.0.1", "example.com", "128.0.0.1"]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    const text = demoConfigText("http://127.0.0.1:9", "http://127.0.0.1:10");
    const loaded = parseConfigText(text, { env: { SWITCHYARD_HOST: "0.0.0.0" } });
    const made: string[] = [];
    const key = () => {
      made.push("made");
      return "sy-demo-x";
    };
    expect(withDemoDashboard(loaded, undefined, key).dashboard).toEqual({
      kind: "off",
      host: "0.0.0.0",
    });
    expect(withDemoDashboard(loaded, "127.0.0.1", key).dashboard).toEqual({
      kind: "generated",
      adminKey: "sy-demo-x",
    });
    expect(made).toHaveLength(1);
  });
});
