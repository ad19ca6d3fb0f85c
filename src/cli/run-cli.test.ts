import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliOutcome, runCli } from "./run-cli.js";

const GOOD = `
providers:
  - { name: main, type: openai, keys: [{ key: "\${MAIN_KEY}" }] }
models:
  - { name: smart, targets: [{ provider: main, model: gpt-4o }] }
`;
const BAD = `
providers:
  - { name: main, type: openai }
models:
  - { name: smart, targets: [{ provider: mian, model: gpt-4o }] }
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-cli-"));
  await writeFile(join(dir, "good.yaml"), GOOD);
  await writeFile(join(dir, "bad.yaml"), BAD);
  await writeFile(join(dir, "switchyard.yaml"), GOOD);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const outcome: CliOutcome = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { MAIN_KEY: "sk-main-secret" },
    cwd: dir,
    probeOllama: async () => undefined,
  });
  if ("server" in outcome) {
    await outcome.server.close();
    throw new Error("expected an exit code, got a running server");
  }
  return { code: outcome.exitCode, stdout, stderr };
}

describe("switchyard check", () => {
  it("exits 0 for a usable config named with --config", async () => {
    const { code, stdout } = await run("check", "--config", join(dir, "good.yaml"));
    expect(code).toBe(0);
    expect(stdout).toContain("good.yaml: OK");
  });

  it("exits 1 and lists the problem with its line for a bad config", async () => {
    const file = join(dir, "bad.yaml");
    const { code, stdout } = await run("check", file);
    expect(code).toBe(1);
    expect(stdout).toContain(`${file}:5:42 models[0].targets[0].provider: unknown provider "mian"`);
  });

  it("exits 1 for a file that does not exist", async () => {
    const { code, stdout } = await run("check", "-c", join(dir, "missing.yaml"));
    expect(code).toBe(1);
    expect(stdout).toContain("no such file");
  });

  it("checks switchyard.yaml when no file is named, and prints redacted config on --print", async () => {
    const { code, stdout } = await run("check", "--print");
    expect(code).toBe(0);
    expect(stdout).toContain(`${join(dir, "switchyard.yaml")}: OK`);
    expect(stdout).toContain("name: smart");
    expect(stdout).not.toContain("sk-main-secret");
  });
});

describe("switchyard (arguments)", () => {
  it("exits 1 on an unknown command, with a hint", async () => {
    const { code, stderr } = await run("frobnicate");
    expect(code).toBe(1);
    expect(stderr).toContain("unknown command 'frobnicate'");
    expect(stderr).toContain("switchyard --help");
  });

  it("exits 1 on a bad port, naming it", async () => {
    const { code, stderr } = await run("serve", "--port", "99999");
    expect(code).toBe(1);
    expect(stderr).toContain('must be a whole number from 0 to 65535, got "99999"');
  });

  it("exits 1 when serve cannot load its config", async () => {
    const { code } = await run("serve", "--config", join(dir, "missing.yaml"), "--port", "0");
    expect(code).toBe(1);
  });

  it("prints help with exit 0", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("serve");
    expect(stdout).toContain("check");
  });
});
