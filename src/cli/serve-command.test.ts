import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MockProviderServer, startMockProviderServer } from "../testing/index.js";
import { LogCapture } from "./log-capture.test-helper.js";
import { type RunningServer, startServe } from "./serve-command.js";

let dir: string;
let mock: MockProviderServer | undefined;
let server: RunningServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-serve-"));
});
afterEach(async () => {
  await server?.close();
  await mock?.close();
  server = undefined;
  mock = undefined;
  await rm(dir, { recursive: true, force: true });
});

function configText(baseUrl: string, model: string): string {
  return [
    "server: { shutdownGraceMs: 1000 }",
    "providers:",
    `  - { name: local, type: openai-compatible, baseUrl: "${baseUrl}/v1" }`,
    "models:",
    `  - { name: ${model}, targets: [{ provider: local, model: m1 }] }`,
    "clients:",
    "  - { name: tests, key: client-key-1 }",
    "",
  ].join("\n");
}

async function chat(url: string, model: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer client-key-1" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
}

describe("startServe", () => {
  it("serves the demo over two mock providers when nothing is configured, failing over", async () => {
    const logs = new LogCapture();
    let banner = "";
    server = await startServe({
      cwd: dir,
      env: {},
      port: 0,
      logger: logs.logger(),
      probeOllama: async () => undefined,
      writeBanner: (text) => (banner += text),
    });
    expect(server.source).toBe("demo");
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", demo: true });

    const served: (string | null)[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await chat(server.url, "smart");
      expect(response.status).toBe(200);
      served.push(response.headers.get("x-switchyard-provider"));
      await response.body?.cancel();
    }
    expect(served).toEqual(["demo-primary", "demo-primary", "demo-backup"]);

    expect(banner).toContain("DEMO MODE");
    expect(banner).toContain(`curl -i ${server.url}/v1/chat/completions`);
    const listening = await logs.waitFor((line) => line.msg.startsWith("switchyard listening"));
    expect(listening).toMatchObject({ demo: true, url: server.url });
    expect(listening.msg).toContain("DEMO MODE");
    const requestLines = logs.lines.filter((line) => line.msg === "request served");
    expect(requestLines).toHaveLength(3);
    for (const line of requestLines) expect(line.requestId).toEqual(expect.any(String));
  });

  it("refuses a bad config on reload, logs every problem with its line, and keeps serving", async () => {
    mock = await startMockProviderServer();
    const file = join(dir, "switchyard.yaml");
    await writeFile(file, configText(mock.url, "smart"));
    const logs = new LogCapture();
    server = await startServe({
      config: file,
      port: 0,
      env: {},
      logger: logs.logger(),
      watch: false,
    });
    expect((await chat(server.url, "smart")).status).toBe(200);

    await writeFile(file, `${configText(mock.url, "smart")}pricing: 3\nlogging: { level: loud }\n`);
    expect(await server.reload("test")).toBe(false);
    const problems = logs.lines.filter((line) => line.level === 50 && line.file === file);
    expect(problems.map((line) => line.msg)).toEqual([
      expect.stringMatching(new RegExp(`^${file}:8:10 pricing: `)),
      expect.stringMatching(new RegExp(`^${file}:9:19 logging.level: `)),
      expect.stringContaining("config refused (2 problems)"),
    ]);
    expect((await chat(server.url, "smart")).status).toBe(200);
    expect(server.gateway.state.config.models.map((model) => model.name)).toEqual(["smart"]);

    await writeFile(file, configText(mock.url, "quick"));
    expect(await server.reload("test")).toBe(true);
    expect((await chat(server.url, "quick")).status).toBe(200);
    expect((await chat(server.url, "smart")).status).toBe(404);
    expect(logs.messages()).toContain("config reloaded");
  });

  it("reloads when the config file changes", async () => {
    mock = await startMockProviderServer();
    const file = join(dir, "gateway.yaml");
    await writeFile(file, configText(mock.url, "smart"));
    const logs = new LogCapture();
    server = await startServe({
      config: file,
      port: 0,
      env: {},
      logger: logs.logger(),
      watchDebounceMs: 20,
    });
    const reloaded = logs.waitFor((line) => line.msg === "config reloaded");
    await writeFile(file, configText(mock.url, "quick"));
    expect(await reloaded).toMatchObject({ reason: "file changed", models: ["quick"] });
    expect((await chat(server.url, "quick")).status).toBe(200);
  });

  it("fails to start on a bad config, naming the problem", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(file, "providers: []\n");
    const error = await startServe({ config: file, port: 0, env: {} }).catch((caught) => caught);
    expect(String(error)).toContain(`${file}:1:12 providers:`);
  });
});
