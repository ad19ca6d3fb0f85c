import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MockProviderServer, startMockProviderServer } from "../testing/index.js";
import { type ServeChild, spawnServeChild } from "./serve-child.test-helper.js";

let dir: string;
let mock: MockProviderServer;
let serve: ServeChild | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-signals-"));
  mock = await startMockProviderServer();
});
afterEach(async () => {
  serve?.kill();
  serve = undefined;
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

function configText(model: string): string {
  return [
    "server: { shutdownGraceMs: 10000 }",
    "providers:",
    `  - { name: local, type: openai-compatible, baseUrl: "${mock.url}/v1" }`,
    "models:",
    `  - { name: ${model}, targets: [{ provider: local, model: m1 }] }`,
    "",
  ].join("\n");
}

function chat(url: string, model: string, stream = false): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] }),
  });
}

describe("switchyard serve (child process)", () => {
  it("on SIGHUP refuses a bad config, keeps serving the old one, then takes a good one", async () => {
    const file = join(dir, "switchyard.yaml");
    await writeFile(file, configText("smart"));
    serve = spawnServeChild(["serve", "--config", file, "--port", "0"]);
    const url = await serve.url();
    expect((await chat(url, "smart")).status).toBe(200);

    await writeFile(file, configText("smart").replace("openai-compatible", "openai-compatibel"));
    const refused = serve.logs.waitFor(
      (line) => line.reason === "SIGHUP" && line.msg.startsWith("config refused"),
    );
    process.kill(serve.child.pid ?? 0, "SIGHUP");
    await refused;
    const problem = serve.logs.lines.find((line) => line.level === 50 && line.path !== undefined);
    expect(problem?.msg).toMatch(new RegExp(`^${file}:3:26 providers\\[0\\]\\.type: `));
    expect((await chat(url, "smart")).status).toBe(200);

    await writeFile(file, configText("quick"));
    const reloaded = serve.logs.waitFor(
      (line) => line.reason === "SIGHUP" && line.msg === "config reloaded",
    );
    process.kill(serve.child.pid ?? 0, "SIGHUP");
    expect(await reloaded).toMatchObject({ models: ["quick"] });
    expect((await chat(url, "quick")).status).toBe(200);
  }, 60_000);

  it("on SIGTERM lets an in-flight stream finish, then exits 0", async () => {
    const file = join(dir, "switchyard.yaml");
    await writeFile(file, configText("smart"));
    serve = spawnServeChild(["serve", "--config", file, "--port", "0"]);
    const url = await serve.url();
    mock.enqueue({ reply: { text: "one two three four five six seven eight" }, chunkDelayMs: 100 });

    const response = await chat(url, "smart", true);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    const draining = serve.logs.waitFor((line) => line.signal === "SIGTERM");
    process.kill(serve.child.pid ?? 0, "SIGTERM");
    await draining;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toContain("eight");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(await serve.exited).toBe(0);
    expect(serve.logs.messages()).toContain("switchyard stopped");
  }, 60_000);
});
