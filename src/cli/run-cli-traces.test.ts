import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTraceStore } from "../store/create-trace-store.js";
import { runCli } from "./run-cli.js";

const folder = mkdtempSync(join(tmpdir(), "switchyard-cli-traces-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      env: {},
      cwd: folder,
    },
    out,
    err,
  };
}

const config = (database: string) => `
providers:
  - { name: local, type: openai-compatible, preset: ollama }
models:
  - { name: smart, targets: [{ provider: local, model: llama3.2 }] }
${database}
`;

describe("switchyard logs and usage", () => {
  it("read the traces the config's database keeps (a relative SQLite file sits beside the config)", async () => {
    writeFileSync(join(folder, "switchyard.yaml"), config("database: { url: sqlite:traces.db }"));
    const store = createTraceStore({ url: `sqlite:${join(folder, "traces.db")}` });
    const startedAt = Date.now();
    store.record({
      id: "req-1",
      startedAt,
      client: "web",
      model: "smart",
      protocol: "openai",
      stream: false,
      outcome: "success",
      status: 200,
      targetId: "local/llama3.2",
      provider: "local",
      upstreamModel: "llama3.2",
      latencyMs: 12,
      inputTokens: 10,
      outputTokens: 5,
      costUsd: 0.01,
      attempts: [],
    });
    await store.close();

    const logs = io();
    expect(await runCli(["logs", "--json"], logs.io)).toEqual({ exitCode: 0 });
    expect(logs.out.join("")).toContain("req-1");

    const one = io();
    expect(await runCli(["logs", "--id", "req-1"], one.io)).toEqual({ exitCode: 0 });
    expect(one.out.join("")).toContain("local");

    const usage = io();
    expect(await runCli(["usage", "--group-by", "client", "--json"], usage.io)).toEqual({
      exitCode: 0,
    });
    expect(usage.out.join("")).toContain('"web"');
  });

  it("says so when the config keeps no traces", async () => {
    writeFileSync(join(folder, "plain.yaml"), config(""));
    const run = io();
    expect(await runCli(["logs", "--config", "plain.yaml"], run.io)).toEqual({ exitCode: 1 });
    expect(run.err.join("")).toContain("has no `database`");
  });
});
